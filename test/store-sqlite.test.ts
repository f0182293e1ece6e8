// The SQLite store: the store contract, then what only a file on a disk has: data that
// survives a reopen, schema upgrades from files written by earlier versions, files it must
// refuse, the commit its appends share, and disks that fill up, freeze or lose the file.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { copyFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RoomChange, TimerType } from "../lib/domain/changes.ts";
import { migrate, MIGRATIONS } from "../lib/store/migrations.ts";
import { ANSWER_TIMEOUT_MS, DATABASE_FILE, SqliteStore } from "../lib/store/sqlite.ts";
import { StoreError } from "../lib/store/store.ts";
import { storeContract } from "./store-contract.ts";
import { ManualClock, tempDirs } from "./helpers.ts";
import { mountedDisk } from "./disks.ts";

const T0 = Date.parse("2026-11-21T09:00:00.000Z");
const HOUR = 3_600_000;
const tempDir = tempDirs("store");

storeContract("sqlite", (clock, maxHistory) => SqliteStore.open(tempDir(), clock, maxHistory));

function timer(user: string | null, at: number, type: TimerType = "TIMER", minutes = 10): RoomChange {
  const entry = { timer: minutes, requested: new Date(at).toISOString(), user, nextUser: null, type };
  return type === "TIMER" ? { kind: "timer", entry } : { kind: "break", entry };
}

function goal(text: string | null, user: string | null, at: number): RoomChange {
  const state = { goal: text, user, requested: new Date(at).toISOString() };
  return text === null ? { kind: "goal-deleted", goal: state } : { kind: "goal-set", goal: state };
}

/**
 * What `promise` rejects with. In bun:test (1.4.5) `expect(promise).rejects` never sees a
 * promise settle by a worker's message once that worker has answered before, so the tests
 * settle the promise first and look at the error.
 */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("it did not fail");
}

function schemaVersionOf(dir: string): number[] {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.query<{ version: number }, []>("SELECT version FROM schema_version").all().map((r) => r.version);
  } finally {
    db.close();
  }
}

function walSize(dir: string): number {
  return statSync(join(dir, `${DATABASE_FILE}-wal`)).size;
}

describe("the SQLite file", () => {
  test("a reopened database gives back rooms, goals, numbers, statistics and the floor of forgotten rooms", async () => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    await store.append("red", timer("alice", T0), 1);
    await store.append("red", timer("bob", T0 + 1000, "BREAKTIMER", 5), 2);
    await store.append("red", goal("ship it", "alice", T0 + 2000), 3);
    await store.append("blue", goal("x", "carol", T0 + 3000), 1);
    await store.append("blue", goal(null, "carol", T0 + 4000), 2);
    for (let seq = 1; seq <= 9; seq++) await store.append("gone", timer("dave", T0), seq);
    await store.expire(T0 + 500, T0 + HOUR);
    await store.close();

    const reopened = await SqliteStore.open(dir, new ManualClock(T0 + HOUR));
    try {
      expect(await reopened.readRoom("red")).toEqual({
        name: "red",
        history: [{ timer: 5, requested: new Date(T0 + 1000).toISOString(), user: "bob", nextUser: null, type: "BREAKTIMER" }],
        goal: { goal: "ship it", user: "alice", requested: new Date(T0 + 2000).toISOString() },
        seq: 3,
        settings: null,
      });
      expect(await reopened.readRoom("blue")).toMatchObject({ goal: { goal: null, user: "carol" }, seq: 2 });
      expect((await reopened.readRoom("gone")).seq).toBe(9);
      expect(await reopened.roomCount()).toBe(2);
      // The statistics keep the date of the first start, not the reopening.
      expect(await reopened.readStats(T0 + HOUR)).toMatchObject({
        since: new Date(T0).toISOString(),
        timers: { "10": 10 },
        breaks: { "5": 1 },
        goals: 2,
        days: { "2026-11-21": 11 },
      });
    } finally {
      await reopened.close();
    }
    expect(schemaVersionOf(dir)).toEqual([MIGRATIONS.length]);
  });

  test("history entries come back with their fields in wire order", async () => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    await store.append("red", timer(null, T0), 1);
    await store.close();
    const reopened = await SqliteStore.open(dir, new ManualClock(T0));
    const room = await reopened.readRoom("red");
    await reopened.close();
    expect(JSON.stringify(room.history[0])).toBe(`{"timer":10,"requested":"2026-11-21T09:00:00.000Z","user":null,"nextUser":null,"type":"TIMER"}`);
  });

  test("a database written by the previous version (schema 2) opens with all its rooms, history and statistics", async () => {
    const dir = tempDir();
    // The rows the previous version wrote for three timers, a goal and a goal deletion.
    const old = new Database(join(dir, DATABASE_FILE), { create: true, strict: true });
    migrate(old, MIGRATIONS.slice(0, 2));
    const history = old.prepare("INSERT INTO history (room, requested_ms, timer, requested, user, next_user, type) VALUES (?, ?, ?, ?, ?, NULL, ?)");
    for (const [at, user, type, minutes] of [[T0, "alice", "TIMER", 10], [T0 + 1000, "bob", "BREAKTIMER", 5], [T0 + 2000, "carol", "TIMER", 60]] as const) {
      history.run("red", at, minutes, new Date(at).toISOString(), user, type);
    }
    old.run("INSERT INTO rooms (name, seq, goal, goal_user, goal_requested) VALUES ('red', 4, 'ship it', 'alice', ?)", [new Date(T0 + 3000).toISOString()]);
    old.run("INSERT INTO rooms (name, seq, goal, goal_user, goal_requested) VALUES ('blue', 7, NULL, 'dave', ?)", [new Date(T0 + 4000).toISOString()]);
    old.run("INSERT INTO stats (id, since, goals) VALUES (1, ?, 1)", [new Date(T0).toISOString()]);
    old.run("INSERT INTO stats_counts (type, minutes, count) VALUES ('TIMER', 10, 1), ('TIMER', 60, 1), ('BREAKTIMER', 5, 1)");
    history.finalize();
    old.close();
    expect(schemaVersionOf(dir)).toEqual([2]);

    const store = await SqliteStore.open(dir, new ManualClock(T0 + HOUR), 3);
    try {
      const red = await store.readRoom("red");
      expect(red.history.map((e) => [e.user, e.type, e.timer])).toEqual([
        ["alice", "TIMER", 10],
        ["bob", "BREAKTIMER", 5],
        ["carol", "TIMER", 60],
      ]);
      expect(red).toMatchObject({ goal: { goal: "ship it", user: "alice" }, seq: 4 });
      expect(await store.readRoom("blue")).toMatchObject({ history: [], goal: { goal: null, user: "dave" }, seq: 7 });
      expect((await store.runningRooms(T0 + 30 * 60_000)).map((room) => room.name)).toEqual(["red"]);
      // Per-day and per-hour counts did not exist before: they start at the upgrade.
      expect(await store.readStats(T0 + HOUR)).toEqual({
        since: new Date(T0).toISOString(),
        timers: { "10": 1, "60": 1 },
        breaks: { "5": 1 },
        goals: 1,
        days: {},
        hours: Array.from({ length: 24 }, () => 0),
      });
      // The entries counted by the upgrade hold the history to its cap.
      expect(await store.append("red", timer("erin", T0 + HOUR), 5)).toEqual({ ok: true });
      expect((await store.readRoom("red")).history.map((e) => e.user)).toEqual(["bob", "carol", "erin"]);
    } finally {
      await store.close();
    }
    expect(schemaVersionOf(dir)).toEqual([MIGRATIONS.length]);
  });

  test("a database at schema version 1 is upgraded and keeps its rooms", async () => {
    const dir = tempDir();
    const old = new Database(join(dir, DATABASE_FILE), { create: true, strict: true });
    migrate(old, MIGRATIONS.slice(0, 1));
    old.run("INSERT INTO rooms (name, seq, goal, goal_user, goal_requested) VALUES ('red', 2, 'old goal', 'alice', ?)", [new Date(T0).toISOString()]);
    old.run(
      `INSERT INTO history (room, requested_ms, timer, requested, user, next_user, type)
       VALUES ('red', ?, 15, ?, 'alice', NULL, 'TIMER')`,
      [T0, new Date(T0).toISOString()],
    );
    old.close();

    const store = await SqliteStore.open(dir, new ManualClock(T0 + HOUR));
    try {
      expect(await store.readRoom("red")).toEqual({
        name: "red",
        history: [{ timer: 15, requested: new Date(T0).toISOString(), user: "alice", nextUser: null, type: "TIMER" }],
        goal: { goal: "old goal", user: "alice", requested: new Date(T0).toISOString() },
        seq: 2,
        settings: null,
      });
      // Statistics did not exist at version 1: they start counting at the upgrade.
      expect(await store.readStats(T0 + HOUR)).toMatchObject({ since: new Date(T0 + HOUR).toISOString(), timers: {}, goals: 0 });
    } finally {
      await store.close();
    }
  });

  test("a database at schema version 6 gets each room's history as a chain, in order, rooms interleaved", async () => {
    const dir = tempDir();
    const old = new Database(join(dir, DATABASE_FILE), { create: true, strict: true });
    migrate(old, MIGRATIONS.slice(0, 6));
    const history = old.prepare("INSERT INTO history (room, requested_ms, timer, requested, user, next_user, type) VALUES (?, ?, 10, ?, ?, NULL, 'TIMER')");
    const order = [["red", "r1"], ["blue", "b1"], ["red", "r2"], ["blue", "b2"], ["red", "r3"]] as const;
    order.forEach(([room, user], i) => history.run(room, T0 + i, new Date(T0 + i).toISOString(), user));
    old.run("INSERT INTO rooms (name, seq, entries) VALUES ('red', 3, 3), ('blue', 2, 2)");
    history.finalize();
    old.close();

    const store = await SqliteStore.open(dir, new ManualClock(T0 + 60_000), 1000);
    try {
      expect((await store.readRoom("red")).history.map((e) => e.user)).toEqual(["r1", "r2", "r3"]);
      expect((await store.readRoom("blue")).history.map((e) => e.user)).toEqual(["b1", "b2"]);
      expect((await store.runningRooms(T0 + 60_000)).map((room) => [room.name, room.history[0]!.user])).toEqual([["blue", "b2"], ["red", "r3"]]);
      expect(await store.append("blue", timer("b3", T0 + 60_000), 3)).toEqual({ ok: true });
      expect((await store.readRoom("blue")).history.map((e) => e.user)).toEqual(["b1", "b2", "b3"]);
      expect((await store.readRoom("red")).history.map((e) => e.user)).toEqual(["r1", "r2", "r3"]);
    } finally {
      await store.close();
    }
  });

  test("rooms at the cap keep their latest entries in order, and a quarter more at most on disk", async () => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0), 4);
    try {
      for (let i = 1; i <= 23; i++) {
        for (const room of ["a", "b"]) expect(await store.append(room, timer(`${room}${i}`, T0 + i), i)).toEqual({ ok: true });
        const kept = Array.from({ length: Math.min(i, 4) }, (_, k) => i - Math.min(i, 4) + 1 + k);
        expect((await store.readRoom("a")).history.map((e) => e.user)).toEqual(kept.map((n) => `a${n}`));
        expect((await store.readRoom("b")).history.map((e) => e.user)).toEqual(kept.map((n) => `b${n}`));
      }
    } finally {
      await store.close();
    }
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      const rows = db.query<{ room: string; count: number }, []>("SELECT room, count(*) AS count FROM history GROUP BY room ORDER BY room").all();
      expect(rows.every((row) => row.count >= 4 && row.count <= 5)).toBe(true);
      const entries = db.query<{ name: string; entries: number }, []>("SELECT name, entries FROM rooms ORDER BY name").all();
      expect(entries).toEqual(rows.map((row) => ({ name: row.room, entries: row.count })));
    } finally {
      db.close();
    }
  });

  test("an entry id that SQLite gives again after its entry was deleted joins no other room's history", async () => {
    const store = await SqliteStore.open(tempDir(), new ManualClock(T0), 1000);
    try {
      // Room a's only entry has the highest id; once it expires, SQLite gives that id again.
      expect(await store.append("a", goal("keep the room", "ann", T0), 1)).toEqual({ ok: true });
      expect(await store.append("a", timer("ann", T0), 2)).toEqual({ ok: true });
      expect(await store.append("a", { kind: "history-expired", cutoff: T0 + 1 }, 3)).toEqual({ ok: true });
      expect(await store.append("b", timer("bob", T0 + 2), 1)).toEqual({ ok: true });
      expect((await store.readRoom("a")).history).toEqual([]);
      expect(await store.append("a", timer("amy", T0 + 3), 4)).toEqual({ ok: true });
      expect((await store.readRoom("a")).history.map((e) => e.user)).toEqual(["amy"]);
      expect((await store.readRoom("b")).history.map((e) => e.user)).toEqual(["bob"]);
    } finally {
      await store.close();
    }
  });

  test("a database from a newer build is refused, naming the file", async () => {
    const dir = tempDir();
    const db = new Database(join(dir, DATABASE_FILE), { create: true });
    db.run("CREATE TABLE schema_version (version INTEGER NOT NULL)");
    db.run("INSERT INTO schema_version (version) VALUES (?)", [MIGRATIONS.length + 1]);
    db.close();
    const opening = SqliteStore.open(dir, new ManualClock(T0));
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(`cannot open the database ${join(dir, DATABASE_FILE)}: its schema version ${MIGRATIONS.length + 1} is newer`);
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
    const opening = SqliteStore.open(dataDir, new ManualClock(T0));
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(`cannot open the database ${join(dataDir, DATABASE_FILE)}: `);
  });

  test("a second store on the same data directory is refused while the first is open", async () => {
    const dir = tempDir();
    const first = await SqliteStore.open(dir, new ManualClock(T0));
    await expect(SqliteStore.open(dir, new ManualClock(T0))).rejects.toThrow(`cannot open the database ${join(dir, DATABASE_FILE)}: another mob-timer server is using this data directory`);
    await first.close();
    await (await SqliteStore.open(dir, new ManualClock(T0))).close();
  });

  test("the database file stays the same size when each day's history replaces the last", async () => {
    const dir = tempDir();
    const sizes: number[] = [];
    for (let day = 0; day < 4; day++) {
      const start = T0 + day * 24 * HOUR;
      const store = await SqliteStore.open(dir, new ManualClock(T0));
      const seqs = await Promise.all(Array.from({ length: 50 }, (_, r) => store.readRoom(`room-${r}`).then((room) => room.seq)));
      for (let i = 0; i < 10; i++) {
        await Promise.all(seqs.map((seq, r) => store.append(`room-${r}`, timer("alice", start + i), seq + i + 1)));
      }
      await store.expire(start, start);
      // Closing moves the log into the file, whose size then counts every page in use.
      await store.close();
      sizes.push(statSync(join(dir, DATABASE_FILE)).size);
    }
    expect(Math.max(...sizes)).toBeLessThan(sizes[0]! * 1.5);
  });

  test("changes promised before close() are committed by it", async () => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    const saved = store.append("red", timer("alice", T0), 1);
    await store.close();
    expect(await saved).toEqual({ ok: true });
    await expect(store.readRoom("red")).rejects.toThrow("is closed");
    const reopened = await SqliteStore.open(dir, new ManualClock(T0));
    expect((await reopened.readRoom("red")).seq).toBe(1);
    await reopened.close();
  });
});

describe("rooms' rows folded behind their history", () => {
  /** Everything a server reads of the rooms, at `now`. */
  async function seen(store: SqliteStore, now: number) {
    const names = (await store.roomNames()).sort();
    return {
      rooms: await Promise.all(names.map((name) => store.readRoom(name))),
      stats: await store.readStats(now),
      running: (await store.runningRooms(now)).sort((a, b) => (a.name < b.name ? -1 : 1)),
      emptied: (await store.emptiedRooms(T0 + 3)).sort(),
    };
  }

  function rowSeq(dir: string, room: string): number {
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      return db.query<{ seq: number }, [string]>("SELECT seq FROM rooms WHERE name = ?").get(room)!.seq;
    } finally {
      db.close();
    }
  }

  test("a copy of the files taken while the store runs (a crash's image) and a reader beside it see every room, number, entry and count", async () => {
    const dir = tempDir();
    const clock = new ManualClock(T0);
    const store = await SqliteStore.open(dir, clock, 4);
    const image = tempDir();
    try {
      // red passes its cap of 4 (a quarter more kept on disk) and goes on; blue has timers and
      // a break; green a goal before its first timer; gone only entries the cutoff removes.
      for (let seq = 1; seq <= 8; seq++) await store.append("red", timer(`r${seq}`, T0 + 10 * seq), seq);
      await store.append("blue", timer("b1", T0 + 1), 1);
      await store.append("blue", timer("b2", T0 + 2, "BREAKTIMER", 5), 2);
      await store.append("blue", timer("b3", T0 + 100), 3);
      await store.append("green", goal("fold it", "gil", T0), 1);
      await store.append("green", timer("g1", T0 + 3), 2);
      await store.append("green", timer("g2", T0 + 4), 3);
      await store.append("gone", timer("x1", T0), 1);
      await store.append("gone", timer("x2", T0 + 1), 2);
      // The rows lag: what the store answers comes from the entries.
      expect(rowSeq(dir, "blue")).toBe(1);
      for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) copyFileSync(join(dir, file), join(image, file));

      const expected = await seen(store, T0 + 1000);
      expect(expected.rooms.map((room) => [room.name, room.seq, room.history.map((e) => e.user)])).toEqual([
        ["blue", 3, ["b1", "b2", "b3"]],
        ["gone", 2, ["x1", "x2"]],
        ["green", 3, ["g1", "g2"]],
        ["red", 8, ["r5", "r6", "r7", "r8"]],
      ]);
      expect(expected.stats).toMatchObject({ timers: { "10": 14 }, breaks: { "5": 1 }, goals: 1, days: { "2026-11-21": 15 } });
      expect(expected.running.map((room) => [room.name, room.seq, room.history[0]!.user])).toEqual([
        ["blue", 3, "b3"],
        ["gone", 2, "x2"],
        ["green", 3, "g2"],
        ["red", 8, "r8"],
      ]);
      expect(expected.emptied).toEqual(["gone"]);

      const beside = await SqliteStore.open(dir, clock, 4, true);
      try {
        expect(await seen(beside, T0 + 1000)).toEqual(expected);
        // The reader reads the entries back at each read: it sees the server's next change.
        await store.append("blue", timer("b4", T0 + 200), 4);
        expect((await beside.readRoom("blue")).history.map((e) => e.user)).toEqual(["b1", "b2", "b3", "b4"]);
        // A goal writes the room's row at once: the reader takes the row, then the next timer.
        await store.append("blue", goal("read me", "bea", T0 + 300), 5);
        expect((await beside.readRoom("blue")).seq).toBe(5);
        await store.append("blue", timer("b5", T0 + 400), 6);
        expect(await beside.readRoom("blue")).toMatchObject({ seq: 6, goal: { goal: "read me" } });
        expect((await beside.readRoom("blue")).history.map((e) => e.user)).toEqual(["b2", "b3", "b4", "b5"]);
      } finally {
        await beside.close();
      }
      const restarted = await SqliteStore.open(image, clock, 4);
      try {
        expect(await seen(restarted, T0 + 1000)).toEqual(expected);
        expect(await restarted.append("blue", timer("b4", T0 + 200), 4)).toEqual({ ok: true });
        expect((await restarted.readRoom("blue")).history.map((e) => e.user)).toEqual(["b1", "b2", "b3", "b4"]);
      } finally {
        await restarted.close();
      }
    } finally {
      await store.close();
    }
    // Closing folds: the rows have caught up.
    expect(rowSeq(dir, "blue")).toBe(6);
  });

  test("rows catch up every 4,096 timers (the worker's FOLD_ENTRIES) while the store runs", async () => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    try {
      const rooms = Array.from({ length: 64 }, (_, r) => `room-${r}`);
      for (let seq = 1; seq <= 65; seq++) {
        await Promise.all(rooms.map((room) => store.append(room, timer("alice", T0 + seq), seq)));
      }
      // 64 × 65 = 4,160 timers: one fold after the 4,096th, in the commit of round 64.
      expect(rooms.map((room) => rowSeq(dir, room))).toEqual(rooms.map(() => 64));
      expect((await store.readRoom("room-0")).seq).toBe(65);
      expect((await store.readStats(T0)).timers).toEqual({ "10": 4160 });
    } finally {
      await store.close();
    }
  });
});

describe("group commit", () => {
  test("appends made together share one commit: the log grows by a fraction of what one commit each writes", async () => {
    const together = tempDir();
    const apart = tempDir();
    const first = await SqliteStore.open(together, new ManualClock(T0));
    const second = await SqliteStore.open(apart, new ManualClock(T0));
    try {
      const before = [walSize(together), walSize(apart)];
      await Promise.all(Array.from({ length: 40 }, (_, r) => first.append(`room-${r}`, timer("alice", T0), 1)));
      for (let r = 0; r < 40; r++) await second.append(`room-${r}`, timer("alice", T0), 1);
      const grownTogether = walSize(together) - before[0]!;
      const grownApart = walSize(apart) - before[1]!;
      expect(grownTogether).toBeGreaterThan(0);
      expect(grownTogether * 5).toBeLessThan(grownApart);
    } finally {
      await first.close();
      await second.close();
    }
  });

  test("a change that fails in a shared commit is refused alone; the others are stored", async () => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    const broken = timer("mallory", T0);
    if (broken.kind === "timer") broken.entry.requested = "not a time";
    const results = await Promise.allSettled([
      store.append("red", timer("alice", T0), 1),
      store.append("blue", broken, 1),
      store.append("green", timer("carol", T0), 1),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StoreError);
    await store.close();

    const reopened = await SqliteStore.open(dir, new ManualClock(T0));
    try {
      expect((await reopened.readRoom("blue")).seq).toBe(0);
      expect(await reopened.roomCount()).toBe(2);
      expect((await reopened.readStats(T0)).timers).toEqual({ "10": 2 });
    } finally {
      await reopened.close();
    }
  });

  test("the event loop runs while the worker commits", async () => {
    const store = await SqliteStore.open(tempDir(), new ManualClock(T0));
    try {
      let committed = false;
      const appends = Promise.all(Array.from({ length: 5_000 }, (_, r) => store.append(`room-${r}`, timer("alice", T0), 1))).then(() => {
        committed = true;
      });
      // With the commit on the main thread, this timer would only run once it was done.
      await Bun.sleep(1);
      expect(committed).toBe(false);
      await appends;
    } finally {
      await store.close();
    }
  });
});

describe("health and a failing disk", () => {
  test("check() commits a write that reaches the log on disk", async () => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    try {
      for (let i = 0; i < 3; i++) {
        const before = walSize(dir);
        await store.check();
        expect(walSize(dir)).toBeGreaterThan(before);
      }
    } finally {
      await store.close();
    }
  });

  test.each([
    ["deleted", (dir: string) => {
      unlinkSync(join(dir, DATABASE_FILE));
      unlinkSync(join(dir, `${DATABASE_FILE}-wal`));
    }],
    ["replaced", (dir: string) => {
      writeFileSync(join(dir, "other"), "");
      renameSync(join(dir, "other"), join(dir, DATABASE_FILE));
    }],
    ["left without its log", (dir: string) => unlinkSync(join(dir, `${DATABASE_FILE}-wal`))],
  ])("a database file %s while open refuses every write, saying what to do", async (_, lose) => {
    const dir = tempDir();
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    try {
      await store.append("red", timer("alice", T0), 1);
      lose(dir);
      const refused = await rejection(store.append("red", timer("bob", T0), 2));
      expect(refused).toBeInstanceOf(StoreError);
      expect(refused.message).toContain(`${join(dir, DATABASE_FILE)} (or its ${join(dir, DATABASE_FILE)}-wal) was deleted or replaced`);
      expect(refused.message).toContain("restore both files from a backup and restart, or restart the server");
      expect((await rejection(store.check())).message).toContain("was deleted or replaced");
      expect((await rejection(store.append("blue", timer("bob", T0), 1))).message).toContain("was deleted or replaced");
    } finally {
      await store.close();
    }
  });

  test("on a full disk appends and check() fail, and both recover once space is freed", async () => {
    await using disk = mountedDisk("tmpfs", "size=2m");
    if (!disk.path) return console.warn(`skipped: ${disk.reason}`);
    const dir = join(disk.path, "data");
    const store = await SqliteStore.open(dir, new ManualClock(T0));
    try {
      await store.append("red", timer("alice", T0), 1);
      disk.fill();
      const many = Array.from({ length: 50 }, (_, r) => store.append(`room-${r}`, timer("bob", T0), 1));
      for (const result of await Promise.allSettled(many)) expect(result.status).toBe("rejected");
      expect((await rejection(many[0]!)).message).toStartWith(`cannot write to the database ${join(dir, DATABASE_FILE)}: `);
      expect(await rejection(store.check())).toBeInstanceOf(StoreError);
      expect(await rejection(store.check())).toBeInstanceOf(StoreError);

      disk.free();
      await store.check();
      expect(await store.append("red", timer("carol", T0), 2)).toEqual({ ok: true });
      expect((await store.readRoom("red")).history.map((e) => e.user)).toEqual(["alice", "carol"]);
      expect(await store.roomCount()).toBe(1);
    } finally {
      disk.free();
      await store.close();
    }
  });

  test("on a frozen disk the event loop runs, check() and reads fail in time, and the waiting commit completes after thaw", async () => {
    await using disk = mountedDisk("ext4", "");
    if (!disk.path) return console.warn(`skipped: ${disk.reason}`);
    const store = await SqliteStore.open(join(disk.path, "data"), new ManualClock(T0));
    try {
      await store.append("red", timer("alice", T0), 1);
      if (!disk.freeze()) return console.warn("skipped: fsfreeze is not allowed here");
      const waiting = store.append("red", timer("bob", T0), 2);
      let settled = false;
      void waiting.finally(() => (settled = true));
      // The event loop goes on while the worker waits on the disk.
      for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
      const [check, read] = await Promise.all([rejection(store.check()), rejection(store.readRoom("red"))]);
      expect(check.message).toContain(`did not answer within ${ANSWER_TIMEOUT_MS} ms: its disk may be frozen or failing`);
      expect(read).toBeInstanceOf(StoreError);
      expect(settled).toBe(false);
      disk.thaw();
      expect(await waiting).toEqual({ ok: true });
      await store.check();
    } finally {
      disk.thaw();
      await store.close();
    }
  }, 20_000);
});
