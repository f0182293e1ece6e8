// The README is the operator's manual: it must name every setting the server has.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { SETTINGS } from "../lib/config.ts";

test("the README lists every setting with its flag and default", async () => {
  const readme = await Bun.file(join(import.meta.dir, "..", "README.md")).text();
  for (const setting of SETTINGS) {
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${setting.env}\` |`));
    expect(row, `README row for ${setting.env}`).toBeDefined();
    expect(row).toContain(`\`${setting.flag}\``);
    if (setting.default !== "") expect(row).toContain(`\`${setting.default}\``);
  }
});
