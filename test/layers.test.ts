// The direction of dependencies, checked: the room core knows no transport and no wire
// format, stores know no transport, and transports reach the core only through its API.
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { join } from "node:path";

const LIB = join(import.meta.dir, "..", "lib");

/** Every module a file imports, as a path relative to lib/ (or a package name). */
async function importsOf(file: string): Promise<string[]> {
  const source = await Bun.file(join(LIB, file)).text();
  const found: string[] = [];
  for (const match of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
    const spec = match[1]!;
    found.push(spec.startsWith(".") ? join(file, "..", spec) : spec);
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  return Array.fromAsync(new Glob(`${dir}/**/*.ts`).scan({ cwd: LIB }));
}

const RULES: { layer: string; forbidden: RegExp; why: string }[] = [
  { layer: "domain", forbidden: /^(http|live|jobs|pages|templates|assets|log)\b|^bun(:|$)|^node:|^mustache/, why: "the core knows no transport, wire format or runtime" },
  { layer: "store", forbidden: /^(http|live|jobs|pages|templates|assets)\b|^bun$/, why: "stores know no transport" },
  { layer: "live", forbidden: /^(http|jobs|store|pages)\b/, why: "transports reach the core, not the HTTP layer or the store" },
];

for (const { layer, forbidden, why } of RULES) {
  test(`lib/${layer} imports nothing it must not: ${why}`, async () => {
    const files = await filesUnder(layer);
    expect(files.length).toBeGreaterThan(0);
    const offending: string[] = [];
    for (const file of files) for (const spec of await importsOf(file)) if (forbidden.test(spec)) offending.push(`${file} → ${spec}`);
    expect(offending).toEqual([]);
  });
}

test("the check sees an import that breaks a rule", async () => {
  const imports = await importsOf("http/pipeline.ts");
  expect(imports).toContain("domain/errors.ts");
  expect(RULES[0]!.forbidden.test("http/responses.ts")).toBe(true);
  expect(RULES[0]!.forbidden.test("live/protocol.ts")).toBe(true);
});
