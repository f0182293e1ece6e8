// `mob-timer export` and `mob-timer import`: every room and the statistics, from any store
// into any store, while a server runs on it.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../lib/base/log.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { RedisStore } from "../lib/store/redis.ts";
import type { Store } from "../lib/store/store.ts";
import { exportLines, importLines } from "../lib/store/transfer.ts";
import { EventReader, ManualClock, spawnServer, startServer, tempDirs, type TestServer } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

const SERVER = join(import.meta.dir, "..", "server.ts");

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

/** A few rooms with history, a goal, a deleted goal and statistics, made through the API. */
async function populate(url: string): Promise<void> {
  const put = (path: string, body: unknown, method = "PUT") => fetch(`${url}${path}`, { method, body: JSON.stringify(body) });
  for (const [path, body] of [
    ["/alpha", { timer: 10, user: "alice" }],
    ["/alpha", { timer: 10, user: "bob" }],
    ["/alpha", { breaktimer: 5, user: "bob" }],
    ["/alpha/goal", { goal: "ship the export", user: "alice" }],
    ["/beta/goal", { goal: "short-lived", user: "carol" }],
  ] as const) {
    expect((await put(path, body)).status).toBe(202);
  }
  expect((await put("/beta/goal", { user: "dan" }, "DELETE")).status).toBe(202);
}

/** What a new listener of `room` on `server` is sent. */
async function replayOf(url: string, room: string) {
  await using reader = await EventReader.open(`${url}/${room}/events`);
  return reader.replay();
}

/** Runs `mob-timer <args>` from the sources; resolves with its exit code and output. */
async function command(args: string[], env: Record<string, string>, stdin?: string) {
  const child = Bun.spawn([process.execPath, SERVER, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdin: stdin === undefined ? "ignore" : Bun.file(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

describe.skipIf(!redisInstalled)("export and import", () => {
  const redis = sharedRedis();
  const tempDir = tempDirs("transfer");

  test("memory → Redis: the import reads back as the export, and a server on it replays the same", async () => {
    const clock = new ManualClock();
    const memory = new MemoryStore(clock);
    await using source = await startServer({}, { clock, store: memory });
    await populate(source.url);
    const exported = await collect(exportLines(memory, clock.now()));
    expect(exported.map((line) => JSON.parse(line).kind)).toEqual(["mob-timer-export", "room", "room", "stats"]);

    const target: Store = await RedisStore.open(redis().url, clock, silentLogger, { prefix: "from-memory:" });
    expect(await importLines(target, (async function* () { yield* exported; })())).toEqual({ rooms: 2, stats: true });
    expect(await collect(exportLines(target, clock.now()))).toEqual(exported);
    await using moved: TestServer = await startServer({ redisUrl: redis().url }, { clock, store: target });
    for (const room of ["alpha", "beta"]) expect(await replayOf(moved.url, room)).toEqual(await replayOf(source.url, room));
    const next = await moved.put("/alpha", { timer: 10, user: "carol" });
    expect(next.status).toBe(202);
    await using reader = await EventReader.open(`${moved.url}/alpha/events`);
    expect((await reader.replay()).timer).toMatchObject({ user: "carol", nextUser: "alice" });
  });

  test("Redis → file → Redis through the commands, exported while a server runs on it", async () => {
    const from = { REDIS_URL: `${redis().url}/1`, WRITES_PER_MINUTE: "1000" };
    const to = { REDIS_URL: `${redis().url}/2`, WRITES_PER_MINUTE: "1000" };
    await using running = await spawnServer([process.execPath, SERVER], { env: from });
    await populate(running.url);

    const exported = await command(["export"], from);
    expect([exported.code, exported.stderr]).toEqual([0, ""]);
    const file = join(tempDir(), "backup.jsonl");
    writeFileSync(file, exported.stdout);
    const lines = exported.stdout.trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line).kind)).toEqual(["mob-timer-export", "room", "room", "stats"]);
    // The running server goes on taking changes meanwhile.
    expect((await fetch(`${running.url}/alpha`, { method: "PUT", body: '{"timer":1,"user":"zed"}' })).status).toBe(202);

    const imported = await command(["import"], to, file);
    expect([imported.code, imported.stderr.trim()]).toEqual([0, expect.stringMatching(/^mob-timer: imported 2 rooms and the statistics into redis:\/\/127\.0\.0\.1:\d+\/2$/)]);
    const again = await command(["export"], to);
    expect(again.stdout.trimEnd().split("\n").slice(1)).toEqual(lines.slice(1));

    await using moved = await spawnServer([process.execPath, SERVER], { env: to });
    expect(await replayOf(moved.url, "beta")).toEqual(await replayOf(running.url, "beta"));
    const alpha = await replayOf(moved.url, "alpha");
    expect([alpha.history.length, alpha.timer.user, alpha.goal.goal]).toEqual([2, "bob", "ship the export"]);
  }, 30_000);

  test("import refuses what is not an export with one line and exit code 1, and changes nothing", async () => {
    const env = { REDIS_URL: `${redis().url}/3` };
    const file = join(tempDir(), "not-an-export.jsonl");
    writeFileSync(file, '{"rooms": []}\n');
    const refused = await command(["import"], env, file);
    expect([refused.code, refused.stderr]).toEqual([1, "mob-timer: import failed: line 1: not a mob-timer export of version 1\n"]);
    const exported = await command(["export"], env);
    expect(exported.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).kind)).toEqual(["mob-timer-export", "stats"]);
  }, 20_000);
});

test("a SQLite data directory exports while its server runs, and imports into another, stopped one", async () => {
  const source = mkdtempSync(join(tmpdir(), "mob-timer-transfer-"));
  const target = mkdtempSync(join(tmpdir(), "mob-timer-transfer-"));
  try {
    await using running = await spawnServer([process.execPath, SERVER], { env: { DATA_DIR: source } });
    await fetch(`${running.url}/alpha`, { method: "PUT", body: JSON.stringify({ timer: 10, user: "alice" }) });
    await fetch(`${running.url}/alpha/goal`, { method: "PUT", body: JSON.stringify({ goal: "back it up", user: "alice" }) });
    const exported = await command(["export"], { DATA_DIR: source });
    expect(exported.code).toBe(0);
    expect(exported.stdout.trimEnd().split("\n").map((line) => JSON.parse(line).kind)).toEqual(["mob-timer-export", "room", "stats"]);
    // The running server goes on taking changes.
    expect((await fetch(`${running.url}/alpha`, { method: "PUT", body: JSON.stringify({ timer: 5, user: "bob" }) })).status).toBe(202);

    const file = join(target, "export.jsonl");
    writeFileSync(file, exported.stdout);
    const imported = await command(["import"], { DATA_DIR: join(target, "data") }, file);
    expect([imported.code, imported.stderr]).toEqual([0, `mob-timer: imported 1 rooms and the statistics into ${join(target, "data", "mob-timer.db")}\n`]);
    await using moved = await spawnServer([process.execPath, SERVER], { env: { DATA_DIR: join(target, "data") } });
    const alpha = await replayOf(moved.url, "alpha");
    expect([alpha.history.length, alpha.timer.user, alpha.goal.goal]).toEqual([0, "alice", "back it up"]);
    // Importing into a directory a server owns is refused: import before starting the server.
    const refused = await command(["import"], { DATA_DIR: join(target, "data") }, file);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining("another mob-timer server is using this data directory")]);
  } finally {
    rmSync(source, { recursive: true, force: true });
    rmSync(target, { recursive: true, force: true });
  }
}, 30_000);
