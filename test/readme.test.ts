// docs/settings.md is the operator's list of settings: it must name every setting the server has.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { SETTINGS } from "../lib/config.ts";

test("docs/settings.md lists every setting with its flag and default", async () => {
  const page = await Bun.file(join(import.meta.dir, "..", "docs", "settings.md")).text();
  for (const setting of SETTINGS) {
    const row = page.split("\n").find((line) => line.startsWith(`| \`${setting.env}\` |`));
    expect(row, `docs/settings.md row for ${setting.env}`).toBeDefined();
    expect(row).toContain(`\`${setting.flag}\``);
    if (setting.default !== "") expect(row).toContain(`\`${setting.default}\``);
  }
});
