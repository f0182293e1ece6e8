// The OpenAPI document as an integrator uses it: openapi-typescript (a dev dependency, never
// shipped) turns the server's /api/openapi.json into types, a client written against them
// with openapi-fetch compiles under strict tsc, and drives a real server.
import { expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "./helpers.ts";

/** Named apart so that the project's type check does not need the dev dependency installed. */
const GENERATOR = "openapi-typescript";
const generator = (await import(GENERATOR).catch(() => null)) as {
  default: (source: object) => Promise<unknown>;
  astToString: (ast: unknown) => string;
} | null;

test.skipIf(generator === null)("a client generated from the document claims a room, sets a timer with the key, edits the roster, adds a webhook and follows the room", async () => {
  await using s = await startServer({ webhookAllowPrivate: true });
  const document = await (await fetch(`${s.url}/api/openapi.json`)).json();
  // Inside the project, so that the client finds openapi-fetch in its node_modules.
  const dir = mkdtempSync(join(import.meta.dir, ".generated-client-"));
  try {
    writeFileSync(join(dir, "schema.ts"), generator!.astToString(await generator!.default(document)));
    cpSync(join(import.meta.dir, "fixtures", "openapi-client", "drive.mts"), join(dir, "drive.mts"));
    const compiler = Bun.spawnSync(
      [process.execPath, join(import.meta.dir, "..", "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--noUncheckedIndexedAccess", "--skipLibCheck",
        "--target", "ESNext", "--module", "Preserve", "--moduleResolution", "bundler", "--allowImportingTsExtensions", "--lib", "ESNext,DOM", join(dir, "drive.mts")],
      { stdout: "pipe", stderr: "pipe" },
    );
    expect(compiler.stdout.toString() + compiler.stderr.toString()).toBe("");
    const { drive } = (await import(join(dir, "drive.mts"))) as { drive: (url: string, room: string) => Promise<Record<string, unknown>> };
    expect(await drive(s.url, "generated")).toEqual({
      refused: 401,
      user: "alice",
      members: ["alice", "bob"],
      next: "bob",
      hookFormat: "json",
      secret: expect.any(String),
      hooks: 1,
      goal: "ship it",
      firstEvent: "event:INITIAL_HISTORY",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
