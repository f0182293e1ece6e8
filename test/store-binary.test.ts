// The compiled executable carries the SQLite store's worker: a program built as the server
// is built (deploy/compile.ts) stores and reads through it from an empty directory.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../deploy/compile.ts";

const dir = mkdtempSync(join(tmpdir(), "mob-timer-store-binary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("an executable built like the server stores through the embedded worker, and reads it back after a restart", async () => {
  const binary = join(dir, "store-binary");
  await compile(binary, undefined, join(import.meta.dir, "fixtures", "store-binary.ts"));
  const run = async () => {
    // An empty working directory: nothing but the executable can supply the worker's code.
    const child = Bun.spawn([binary, join(dir, "data")], { cwd: mkdtempSync(join(dir, "cwd-")), stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(err).toBe("");
    expect(code).toBe(0);
    return JSON.parse(out) as { seq: number; history: { user: string }[] };
  };
  expect(await run()).toMatchObject({ seq: 1, history: [{ user: "bin" }] });
  expect(await run()).toMatchObject({ seq: 2, history: [{ user: "bin" }, { user: "bin" }] });
}, 120_000);
