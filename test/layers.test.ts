// The direction of dependencies, checked: the room core knows no transport and no wire
// format and of the store only its interface, stores know no transport and no budget,
// transports reach the core only through its API, and the pipeline, the jobs and the
// webhooks stay apart. Neither the server nor the page's scripts import in a circle,
// type-only imports included.
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { join } from "node:path";

const LIB = join(import.meta.dir, "..", "lib");
const PAGE_SCRIPTS = join(import.meta.dir, "..", "pages", "scripts");

/**
 * Every module a file under `root` imports, as a path relative to `root` (or a package
 * name); `typesOnly`: only `import type` ones.
 */
async function importsOf(file: string, typesOnly?: "types", root = LIB): Promise<string[]> {
  const source = await Bun.file(join(root, file)).text();
  const found: string[] = [];
  for (const match of source.matchAll(/^\s*(?:import|export)\s([^;]*?)from\s+"([^"]+)"/gms)) {
    if (typesOnly && !match[1]!.startsWith("type ")) continue;
    const spec = match[2]!;
    found.push(spec.startsWith(".") ? join(file, "..", spec) : spec);
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  return Array.fromAsync(new Glob(`${dir}/**/*.ts`).scan({ cwd: LIB }));
}

/** Each cycle of `graph` (file → the files it imports) found by a depth-first walk, as the chain that closes it. */
function cyclesOf(graph: Map<string, string[]>): string[] {
  const walking: string[] = [];
  const done = new Set<string>();
  const cycles: string[] = [];
  const walk = (file: string): void => {
    walking.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = walking.indexOf(next);
      if (at !== -1) cycles.push([...walking.slice(at), next].join(" → "));
      else if (!done.has(next)) walk(next);
    }
    walking.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) if (!done.has(file)) walk(file);
  return cycles;
}

/** The imports among the files under `root`, everything outside it left out. */
async function importGraph(root: string): Promise<Map<string, string[]>> {
  const files = new Set(await Array.fromAsync(new Glob("**/*.ts").scan({ cwd: root })));
  const graph = new Map<string, string[]>();
  for (const file of files) graph.set(file, (await importsOf(file, undefined, root)).filter((spec) => files.has(spec)));
  return graph;
}

const RULES: { layer: string; forbidden: RegExp; why: string }[] = [
  { layer: "domain", forbidden: /^(http|live|jobs|hooks|pages|templates|assets|log)\b|^bun(:|$)|^node:|^mustache/, why: "the core knows no transport, wire format or runtime" },
  { layer: "domain", forbidden: /^store\/(?!store\.ts$)/, why: "the core knows the store by its interface only" },
  { layer: "store", forbidden: /^(http|live|jobs|hooks|pages|templates|assets)\b|^bun$/, why: "stores know no transport and no caller's budget (lib/http/budgets.ts)" },
  { layer: "live", forbidden: /^(http|jobs|store|pages)\b/, why: "transports reach the core, not the HTTP layer or the store" },
  { layer: "hooks", forbidden: /^(http|live|jobs)\b/, why: "webhooks listen to the core's commits, not to a transport or a job" },
  { layer: "jobs", forbidden: /^http\b/, why: "jobs work on the core, whatever the requests" },
  { layer: "http", forbidden: /^jobs\b/, why: "the pipeline and its handlers reach what jobs keep through their own narrow types" },
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

test("lib/domain imports only types from the store's interface", async () => {
  const offending: string[] = [];
  for (const file of await filesUnder("domain")) {
    const types = await importsOf(file, "types");
    for (const spec of await importsOf(file)) if (spec.startsWith("store/") && !types.includes(spec)) offending.push(`${file} → ${spec}`);
  }
  expect(offending).toEqual([]);
});

/**
 * The synchronous shortcut (lib/base/later.ts) stays on the commit path, where
 * bench/store-puts.ts shows what it saves (the core's commit, the store's append and read),
 * and in the room gate in front of every room route, where compare.sh's PUTs and stream
 * opens pass it.
 */
const LATER_USERS = ["base/later.ts", "domain/rooms.ts", "http/room-access.ts", "store/memory.ts", "store/store.ts"];
/**
 * Where `instanceof Promise` may decide: the shortcut, the pipeline's, and Bun's answer to a
 * stream write (backpressure). The room gate uses the shortcut and leaves its release to the pipeline.
 */
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
  expect(RULES[1]!.forbidden.test("store/memory.ts")).toBe(true);
  expect(RULES[1]!.forbidden.test("store/store.ts")).toBe(false);
  expect(await importsOf("domain/rooms.ts", "types")).toContain("store/store.ts");
  expect(await importsOf("http/visitor.ts", "types")).not.toContain("http/budgets.ts");
});

for (const [name, root] of [["lib", LIB], ["pages/scripts", PAGE_SCRIPTS]] as const) {
  test(`${name} has no import cycle, type-only imports included`, async () => {
    const graph = await importGraph(root);
    expect(graph.size).toBeGreaterThan(10);
    expect(cyclesOf(graph)).toEqual([]);
  });
}

test("the cycle check sees a cycle, and the import that closes it", async () => {
  expect(cyclesOf(new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]]]))).toEqual(["a.ts → b.ts → c.ts → a.ts"]);
  expect((await importGraph(PAGE_SCRIPTS)).get("send.ts")).toEqual(["dom.ts", "room-key.ts"]);
});

test("the page's scripts take the wire's types from the server, and none of its transports' code", async () => {
  const fromWire: string[] = [];
  for (const file of await Array.fromAsync(new Glob("*.ts").scan({ cwd: PAGE_SCRIPTS }))) {
    const source = await Bun.file(join(PAGE_SCRIPTS, file)).text();
    for (const match of source.matchAll(/^import\s(type\s)?[^;]*?from\s+"\.\.\/\.\.\/lib\/live\/[^"]+"/gm)) fromWire.push(`${file}: ${match[1] ? "types" : "code"}`);
  }
  expect(fromWire.length).toBeGreaterThan(0);
  expect(fromWire.filter((line) => line.endsWith("code"))).toEqual([]);
});

/** The files `from` reaches through imports that stay in the executable (type-only ones leave nothing). */
async function reachedFrom(from: string): Promise<Set<string>> {
  const reached = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    const types = await importsOf(file, "types");
    for (const spec of await importsOf(file)) if (spec.endsWith(".ts") && !types.includes(spec)) queue.push(spec);
  }
  return reached;
}

/** What a client of a server has no use for: the server's parts, its settings and its wire's code. */
const SERVER_PARTS = /^(app\.ts|config\.ts|(http|store|jobs|hooks|live|render)\/)/;

test("the terminal client (mob-timer watch and status) reaches no part of the server, only its types", async () => {
  const reached = await reachedFrom("cli/client-command.ts");
  expect(reached.size).toBeGreaterThan(5);
  expect([...reached].filter((file) => SERVER_PARTS.test(file))).toEqual([]);
  // The check sees a command that does open the server's store.
  expect([...(await reachedFrom("cli/release-room.ts"))].filter((file) => SERVER_PARTS.test(file))).toContain("store/open.ts");
});

/**
 * A Node module imported by any file is loaded by every server at start, whatever it uses
 * (the executable's bundler hoists even a dynamic import's): lib/base/node-modules.ts loads
 * them on first use instead. The SQLite worker is a thread of its own that checks its file on
 * every commit, so it imports node:fs as it is.
 */
const NODE_MODULE_AT_START = /^node:/;
const LOADED_AT_START = new Set(["store/sqlite-worker.ts"]);

test("Node's modules are loaded when a feature first needs them, not by every server at start", async () => {
  const offending: string[] = [];
  for (const found of await filesUnder(".")) {
    const file = found.replace(/^\.\//, "");
    if (LOADED_AT_START.has(file)) continue;
    const values = new Set(await importsOf(file));
    for (const spec of await importsOf(file, "types")) values.delete(spec);
    for (const spec of values) if (NODE_MODULE_AT_START.test(spec)) offending.push(`${file} → ${spec}`);
  }
  expect(offending).toEqual([]);
  // The check sees a value import, and lets a type-only one pass.
  expect((await importsOf("store/sqlite-worker.ts")).filter((spec) => NODE_MODULE_AT_START.test(spec))).toContain("node:fs");
  expect(await importsOf("store/redis-tls-files.ts", "types")).toContain("node:crypto");
});
