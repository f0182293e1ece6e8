// The SQLite store on its own: what it gives back after a reopen, schema migrations,
// retention, refusing files it cannot use, and its health check.
import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrate, MIGRATIONS } from "../lib/migrations.ts";
import type { TimerRequest, TimerType } from "../lib/room.ts";
import { DATABASE_FILE, SqliteStore } from "../lib/store-sqlite.ts";
import { StoreError } from "../lib/store.ts";
import { ManualClock, tempDirs } from "./helpers.ts";

const T0 = Date.parse("2026-11-21T09:00:00.000Z");
const HOUR = 3_600_000;
const tempDir = tempDirs("store");

function entry(at: number, user: string | null, type: TimerType = "TIMER", timer = 10): TimerRequest {
  return { timer, requested: new Date(at).toISOString(), user, nextUser: null, type };
}

function schemaVersionOf(dir: string): number[] {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.query<{ version: number }, []>("SELECT version FROM schema_version").all().map((r) => r.version);
  } finally {
    db.close();
  }
}

test("a reopened database gives back rooms, goals, seqs and statistics, at the same schema version", async () => {
  const dir = tempDir();
  const store = await SqliteStore.open(dir, new ManualClock(T0));
  await store.saveTimer("red", entry(T0, "alice"), 1);
  await store.saveTimer("red", entry(T0 + 1000, "bob", "BREAKTIMER", 5), 2);
  await store.saveGoal("red", { goal: "ship it", user: "alice", requested: new Date(T0 + 2000).toISOString() }, 3, true);
  await store.saveGoal("blue", { goal: null, user: "carol", requested: new Date(T0 + 3000).toISOString() }, 7, false);
  await store.close();

  const reopened = await SqliteStore.open(dir, new ManualClock(T0 + HOUR));
  const state = await reopened.load();
  await reopened.close();

  expect(state.rooms.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
    { name: "blue", history: [], goal: { goal: null, user: "carol", requested: new Date(T0 + 3000).toISOString() }, seq: 7 },
    {
      name: "red",
      history: [entry(T0, "alice"), entry(T0 + 1000, "bob", "BREAKTIMER", 5)],
      goal: { goal: "ship it", user: "alice", requested: new Date(T0 + 2000).toISOString() },
      seq: 3,
    },
  ]);
  // The statistics keep the date of the first start, not the reopening.
  expect(state.stats).toEqual({ since: new Date(T0).toISOString(), timers: { "10": 1 }, breaks: { "5": 1 }, goals: 1 });
  expect(schemaVersionOf(dir)).toEqual([MIGRATIONS.length]);
});

test("history entries come back with their fields in wire order", async () => {
  const dir = tempDir();
  const store = await SqliteStore.open(dir, new ManualClock(T0));
  await store.saveTimer("red", entry(T0, null), 1);
  await store.close();
  const reopened = await SqliteStore.open(dir, new ManualClock(T0));
  const [room] = (await reopened.load()).rooms;
  await reopened.close();
  expect(JSON.stringify(room!.history[0])).toBe(
    `{"timer":10,"requested":"2026-11-21T09:00:00.000Z","user":null,"nextUser":null,"type":"TIMER"}`,
  );
});

test("a database at schema version 1 is upgraded on open and keeps its rooms", async () => {
  const dir = tempDir();
  const old = new Database(join(dir, DATABASE_FILE), { create: true, strict: true });
  migrate(old, MIGRATIONS.slice(0, 1));
  old.run("INSERT INTO rooms (name, seq, goal, goal_user, goal_requested) VALUES ('red', 2, 'old goal', 'alice', ?)", [
    new Date(T0).toISOString(),
  ]);
  old.run(
    `INSERT INTO history (room, requested_ms, timer, requested, user, next_user, type)
     VALUES ('red', ?, 15, ?, 'alice', NULL, 'TIMER')`,
    [T0, new Date(T0).toISOString()],
  );
  old.close();
  expect(schemaVersionOf(dir)).toEqual([1]);

  const store = await SqliteStore.open(dir, new ManualClock(T0 + HOUR));
  const state = await store.load();
  await store.saveTimer("red", entry(T0 + HOUR, "bob"), 3);
  const counted = (await store.load()).stats;
  await store.close();

  expect(schemaVersionOf(dir)).toEqual([MIGRATIONS.length]);
  expect(state.rooms).toEqual([
    {
      name: "red",
      history: [{ timer: 15, requested: new Date(T0).toISOString(), user: "alice", nextUser: null, type: "TIMER" }],
      goal: { goal: "old goal", user: "alice", requested: new Date(T0).toISOString() },
      seq: 2,
    },
  ]);
  // Statistics did not exist at version 1: they start counting at the upgrade.
  expect(state.stats).toEqual({ since: new Date(T0 + HOUR).toISOString(), timers: {}, breaks: {}, goals: 0 });
  expect(counted?.timers).toEqual({ "10": 1 });
});

test("a database from a newer build is refused rather than guessed at", async () => {
  const dir = tempDir();
  const db = new Database(join(dir, DATABASE_FILE), { create: true });
  db.run("CREATE TABLE schema_version (version INTEGER NOT NULL)");
  db.run("INSERT INTO schema_version (version) VALUES (?)", [MIGRATIONS.length + 1]);
  db.close();
  await expect(SqliteStore.open(dir, new ManualClock(T0))).rejects.toThrow(StoreError);
  await expect(SqliteStore.open(dir, new ManualClock(T0))).rejects.toThrow(`newer than this build knows (${MIGRATIONS.length})`);
});

test.each([
  ["the data directory is a file", (dir: string) => {
    writeFileSync(join(dir, "file"), "x");
    return join(dir, "file");
  }],
  ["the database file is not a database", (dir: string) => {
    writeFileSync(join(dir, DATABASE_FILE), "not a database ".repeat(200));
    return dir;
  }],
])("opening fails with a StoreError naming the file when %s", async (_, prepare) => {
  const dataDir = prepare(tempDir());
  await expect(SqliteStore.open(dataDir, new ManualClock(T0))).rejects.toThrow(StoreError);
  await expect(SqliteStore.open(dataDir, new ManualClock(T0))).rejects.toThrow(`cannot open the database ${join(dataDir, DATABASE_FILE)}: `);
});

test("a second store on the same data directory is refused while the first is open", async () => {
  const dir = tempDir();
  const first = await SqliteStore.open(dir, new ManualClock(T0));
  await expect(SqliteStore.open(dir, new ManualClock(T0))).rejects.toThrow("database is locked");
  await first.close();
  await (await SqliteStore.open(dir, new ManualClock(T0))).close();
});

test("expiry deletes old history and rooms left with nothing, and keeps the seq of an emptied room", async () => {
  const dir = tempDir();
  const store = await SqliteStore.open(dir, new ManualClock(T0));
  await store.saveTimer("gone", entry(T0, "alice"), 1);
  await store.saveTimer("kept-goal", entry(T0, "alice"), 1);
  await store.saveGoal("kept-goal", { goal: "g", user: null, requested: new Date(T0).toISOString() }, 2, true);
  await store.saveTimer("mixed", entry(T0, "alice"), 1);
  await store.saveTimer("mixed", entry(T0 + 2 * HOUR, "bob"), 2);
  await store.expire(T0 + HOUR, [{ name: "kept-goal", seq: 3 }, { name: "gone", seq: 2 }]);
  const rooms = (await store.load()).rooms.sort((a, b) => a.name.localeCompare(b.name));
  await store.close();
  expect(rooms.map((r) => [r.name, r.history.map((e) => e.user), r.seq])).toEqual([
    ["kept-goal", [], 3],
    ["mixed", ["bob"], 2],
  ]);
});

test("the database file stays the same size when each day's history replaces the last", async () => {
  const dir = tempDir();
  const sizes: number[] = [];
  for (let day = 0; day < 4; day++) {
    const start = T0 + day * 24 * HOUR;
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    for (let i = 0; i < 500; i++) await store.saveTimer(`room-${i % 50}`, entry(start + i, "alice"), day * 1000 + i);
    await store.expire(start, []);
    // Closing moves the log into the file, whose size then counts every page in use.
    await store.close();
    sizes.push(statSync(join(dir, DATABASE_FILE)).size);
  }
  expect(Math.max(...sizes)).toBeLessThan(sizes[0]! * 1.5);
});

test("the health check passes on a working database and fails once its file is gone", async () => {
  const dir = tempDir();
  const store = await SqliteStore.open(dir, new ManualClock(T0));
  await store.check();
  unlinkSync(join(dir, DATABASE_FILE));
  expect(store.check()).rejects.toThrow("is gone");
  await store.close();
  expect(store.check()).rejects.toThrow();
});

test("changes made in one turn share a commit, and one that fails is refused alone", async () => {
  const dir = tempDir();
  const store = await SqliteStore.open(dir, new ManualClock(T0));
  const broken: TimerRequest = { ...entry(T0, "mallory"), requested: "not a time" };
  const results = await Promise.allSettled([
    store.saveTimer("red", entry(T0, "alice"), 1),
    store.saveTimer("blue", broken, 1),
    store.saveTimer("green", entry(T0, "carol"), 1),
  ]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreError);
  await store.close();

  const reopened = await SqliteStore.open(dir, new ManualClock(T0));
  const state = await reopened.load();
  await reopened.close();
  expect(state.rooms.map((r) => r.name).sort()).toEqual(["green", "red"]);
  expect(state.stats!.timers).toEqual({ "10": 2 });
});

test("changes promised before close() are committed by it", async () => {
  const dir = tempDir();
  const store = await SqliteStore.open(dir, new ManualClock(T0));
  const saved = store.saveTimer("red", entry(T0, "alice"), 1);
  await store.close();
  await saved;
  const reopened = await SqliteStore.open(dir, new ManualClock(T0));
  expect((await reopened.load()).rooms.map((r) => r.name)).toEqual(["red"]);
  await reopened.close();
});
