// The real server process and its data directory: what survives kill -9, what --in-memory
// forgets, and how a database that cannot be used stops the start.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS } from "../lib/store/migrations.ts";
import { DATABASE_FILE } from "../lib/store/sqlite.ts";
import { EventReader, spawnServer, tempDirs, type SseEvent } from "./helpers.ts";

const SERVER = [process.execPath, join(import.meta.dir, "..", "server.ts")];
const tempDir = tempDirs("process");

/** What a client can see of a room and the statistics. */
async function observe(url: string) {
  await using events = await EventReader.open(`${url}/r/events`);
  const replay: SseEvent[] = [await events.next(), await events.next(), await events.next()];
  const goal = await fetch(`${url}/r/goal`);
  const stats = await (await fetch(`${url}/stats`)).text();
  return { replay, goal: goal.status === 200 ? await goal.json() : goal.status, stats };
}


async function putAll(url: string): Promise<void> {
  const changes: [string, object][] = [
    ["/r", { timer: 10, user: "alice" }],
    ["/r/goal", { goal: "survive kill -9", user: "alice" }],
    ["/r", { timer: 10, user: "bob" }],
    ["/r", { breaktimer: 5, user: "carol" }],
  ];
  for (const [path, body] of changes) {
    expect((await fetch(`${url}${path}`, { method: "PUT", body: JSON.stringify(body) })).status).toBe(202);
  }
}

test("after kill -9 right after a 202, a restart replays the same history, timer and goal and keeps /stats", async () => {
  const dataDir = join(tempDir(), "data");
  const first = await spawnServer(SERVER, { env: { DATA_DIR: dataDir } });
  await using live = await EventReader.open(`${first.url}/r/events`);
  await live.replay();
  await putAll(first.url);
  // Events go out before each 202 and reading them makes the server do nothing more: the
  // kill still comes right after the last 202 as far as the database is concerned.
  const [alice, goal, bob, carol] = [await live.next(), await live.next(), await live.next(), await live.next()];
  const stats = await (await fetch(`${first.url}/stats`)).text();
  first.child.kill("SIGKILL");
  await first.child.exited;

  await using restarted = await spawnServer(SERVER, { env: { DATA_DIR: dataDir } });
  const seen = await observe(restarted.url);
  expect(seen.replay).toEqual([
    { event: "INITIAL_HISTORY", data: `[${alice!.data},${bob!.data}]` },
    { event: "TIMER_REQUEST", data: carol!.data },
    { event: "GOAL_REQUEST", data: goal!.data, id: carol!.id },
  ]);
  expect(seen.goal).toEqual({ goal: "survive kill -9" });
  expect(seen.stats).toBe(stats);
  expect(stats).toContain("<tr><td>10</td><td>2</td><td>0</td></tr>");
});

test("the start line names the database file in the data directory, which is created if missing", async () => {
  const dataDir = join(tempDir(), "nested", "data");
  await using s = await spawnServer(SERVER, { env: { DATA_DIR: dataDir } });
  expect(s.lines.find((l) => l.includes("mob-timer started"))).toContain(`data=${join(dataDir, DATABASE_FILE)}`);
  expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true);
});

test.each([
  ["--in-memory", { DATA_DIR: "DIR" }, ["--in-memory"]],
  ["DATA_DIR=:memory:", { DATA_DIR: ":memory:" }, []],
])("with %s nothing survives a restart and nothing is written", async (_, env, flags) => {
  const dir = tempDir();
  const withDir = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === "DIR" ? dir : v]));
  const first = await spawnServer([...SERVER, ...flags], { cwd: dir, env: withDir });
  expect(first.lines.join("\n")).toContain("data=memory");
  await putAll(first.url);
  await first[Symbol.asyncDispose]();
  await using second = await spawnServer([...SERVER, ...flags], { cwd: dir, env: withDir });
  const { replay } = await observe(second.url);
  expect(replay.map((e) => e.data)).toEqual([
    "[]",
    `{"timer":0,"requested":null,"user":null,"nextUser":null,"type":null}`,
    `{"goal":null,"user":null,"requested":null}`,
  ]);
  expect(readdirSync(dir)).toEqual([]);
});

const unusable: [string, (dir: string) => string][] = [
  ["the data directory is a file", (dir) => {
    writeFileSync(join(dir, "data"), "a file");
    return join(dir, "data");
  }],
  ["the database file is garbage", (dir) => {
    writeFileSync(join(dir, DATABASE_FILE), "garbage ".repeat(1000));
    return dir;
  }],
  ["the database comes from a newer version", (dir) => {
    const db = new Database(join(dir, DATABASE_FILE), { create: true });
    db.run("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    db.run("INSERT INTO schema_version (version) VALUES (?)", [MIGRATIONS.length + 1]);
    db.close();
    return dir;
  }],
];

test.each(unusable)("when %s the server prints one line and exits non-zero without listening", async (_, prepare) => {
  const dataDir = prepare(tempDir());
  const child = Bun.spawn(SERVER, { env: { PATH: process.env.PATH ?? "", PORT: "0", DATA_DIR: dataDir }, stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  expect(code).not.toBe(0);
  expect(out).toBe("");
  expect(err.trimEnd().split("\n")).toEqual([expect.stringMatching(/^mob-timer: cannot open the database \/\S+mob-timer\.db: \S.*$/)]);
});

test("a second server on the same data directory refuses to start while the first runs", async () => {
  const dataDir = tempDir();
  await using first = await spawnServer(SERVER, { env: { DATA_DIR: dataDir } });
  const child = Bun.spawn(SERVER, { env: { PATH: process.env.PATH ?? "", PORT: "0", DATA_DIR: dataDir }, stdout: "pipe", stderr: "pipe" });
  const [code, err] = await Promise.all([child.exited, new Response(child.stderr).text()]);
  expect(code).not.toBe(0);
  expect(err.trimEnd().split("\n")).toEqual([expect.stringContaining("another mob-timer server is using this data directory")]);
  expect((await fetch(`${first.url}/r/goal`)).status).toBe(204);
});
