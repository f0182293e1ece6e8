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

/**
 * The synchronous shortcut (lib/base/later.ts) stays on the commit path, where
 * bench/store-puts.ts shows what it saves: the core's commit, the store's append and read.
 */
const LATER_USERS = ["base/later.ts", "domain/rooms.ts", "store/memory.ts", "store/store.ts"];
/** Where `instanceof Promise` may decide: the shortcut, the pipeline's, and Bun's answer to a stream write (backpressure). */
const PROMISE_CHECKS = ["base/later.ts", "domain/rooms.ts", "http/pipeline.ts", "live/sse.ts"];

test("only the commit path uses the synchronous shortcut; everything else awaits", async () => {
  const importers: string[] = [];
  const checks: string[] = [];
  for (const file of await Array.fromAsync(new Glob("**/*.ts").scan({ cwd: LIB }))) {
    if ((await importsOf(file)).includes("base/later.ts")) importers.push(file);
    if ((await Bun.file(join(LIB, file)).text()).includes("instanceof Promise")) checks.push(file);
  }
  expect(["base/later.ts", ...importers].sort()).toEqual(LATER_USERS);
  expect(checks.sort()).toEqual(PROMISE_CHECKS);
});

test("the check sees an import that breaks a rule", async () => {
  const imports = await importsOf("http/pipeline.ts");
  expect(imports).toContain("domain/errors.ts");
  expect(RULES[0]!.forbidden.test("http/responses.ts")).toBe(true);
  expect(RULES[0]!.forbidden.test("live/protocol.ts")).toBe(true);
});
