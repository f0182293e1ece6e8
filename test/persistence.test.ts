// What listeners and the mob CLI see of persistence, over a real socket: restarts on the
// same data directory, reconnects (Last-Event-ID is answered with the full replay),
// retention, and failing storage.
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../lib/config.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { EventReader, eventually, ManualClock, startServer, type SseEvent, type TestServer } from "./helpers.ts";

const HOUR = 3_600_000;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts servers one after another on the same data directory and the same clock. */
function dataDirectory(overrides: Partial<Config> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-persist-"));
  dirs.push(dir);
  const clock = new ManualClock();
  return {
    clock,
    start: async (): Promise<TestServer> => startServer(overrides, { clock, store: await SqliteStore.open(dir, clock) }),
  };
}

async function replayOf(url: string, headers: Record<string, string> = {}): Promise<SseEvent[]> {
  await using events = await EventReader.open(url, headers);
  return [await events.next(), await events.next(), await events.next()];
}

const del = (url: string, body: unknown) => fetch(url, { method: "DELETE", body: JSON.stringify(body) });

// Last-Event-ID is not resumed from: every connect gets the full replay, which is what the
// original page and menu-bar apps expect on every connect (see docs/api.md, "Reconnecting").
test("a listener that missed two changes gets both in the full replay when it reconnects, even with Last-Event-ID", async () => {
  const data = dataDirectory();
  await using s = await data.start();
  const stayed = await EventReader.open(`${s.url}/r/events`);
  await stayed.replay();
  const left = await EventReader.open(`${s.url}/r/events`);
  await left.replay();
  await s.put("/r", { timer: 10, user: "alice" });
  const seen = await left.next("TIMER_REQUEST");
  left.close();

  await s.put("/r", { timer: 10, user: "bob" });
  await s.put("/r", { breaktimer: 5, user: "carol" });
  const live = [await stayed.next(), await stayed.next(), await stayed.next()];
  stayed.close();

  const [history, timer, goal] = await replayOf(`${s.url}/r/events`, { "Last-Event-ID": seen.id! });
  expect(JSON.parse(history!.data)).toEqual([JSON.parse(live[0]!.data), JSON.parse(live[1]!.data)]);
  expect(timer).toMatchObject({ event: "TIMER_REQUEST", data: live[2]!.data });
  expect(JSON.parse(timer!.data)).toMatchObject({ type: "BREAKTIMER", user: "carol" });
  expect(goal).toMatchObject({ event: "GOAL_REQUEST", id: live[2]!.id });
  expect(Number(goal!.id)).toBeGreaterThan(Number(seen.id));
});

test("a listener that reconnects across a restart gets what it would have got without the restart", async () => {
  const steps: [string, object][] = [
    ["/r", { timer: 10, user: "alice" }],
    ["/r/goal", { goal: "green build", user: "alice" }],
    ["/r", { timer: 10, user: "bob" }],
    ["/r", { breaktimer: 5, user: "carol" }],
  ];
  const referenceClock = new ManualClock();
  await using reference = await startServer({}, { clock: referenceClock });
  for (const [path, body] of steps) {
    referenceClock.advance(60_000);
    await reference.put(path, body);
  }

  const data = dataDirectory();
  const before = await data.start();
  const left = await EventReader.open(`${before.url}/r/events`);
  await left.replay();
  for (const [path, body] of steps.slice(0, 2)) {
    data.clock.advance(60_000);
    await before.put(path, body);
  }
  const lastId = (await left.next("GOAL_REQUEST")).id!;
  left.close();
  data.clock.advance(60_000);
  await before.put(...steps[2]!);
  await before.close();
  await using after = await data.start();
  data.clock.advance(60_000);
  await after.put(...steps[3]!);

  const restarted = await replayOf(`${after.url}/r/events`, { "Last-Event-ID": lastId });
  expect(restarted).toEqual(await replayOf(`${reference.url}/r/events`, { "Last-Event-ID": lastId }));
  expect(JSON.parse(restarted[0]!.data).map((e: { user: string }) => e.user)).toEqual(["alice", "bob"]);
  expect(JSON.parse(restarted[1]!.data)).toMatchObject({ type: "BREAKTIMER", user: "carol" });
});

test("the empty timer the sweep announces keeps its id after a restart, so ids never go backwards", async () => {
  const data = dataDirectory({ historyMs: 2 * HOUR });
  const before = await data.start();
  await before.put("/r", { timer: 10, user: "alice" });
  await before.put("/r/goal", { goal: "keeps the room", user: "alice" });
  await using events = await EventReader.open(`${before.url}/r/events`);
  await events.replay();
  data.clock.advance(3 * HOUR);
  await before.app.rooms.sweep();
  const emptied = await events.next("TIMER_REQUEST");
  expect(JSON.parse(emptied.data)).toMatchObject({ timer: 0, user: null });
  await before.close();

  await using after = await data.start();
  const [, , goal] = await replayOf(`${after.url}/r/events`);
  expect(goal!.id).toBe(emptied.id);
  await using again = await EventReader.open(`${after.url}/r/events`);
  await again.replay();
  await after.put("/r", { timer: 5, user: "bob" });
  expect(Number((await again.next("TIMER_REQUEST")).id)).toBe(Number(emptied.id) + 1);
});

test("history older than HISTORY_HOURS is gone after a restart too", async () => {
  const data = dataDirectory({ historyMs: 2 * HOUR });
  const before = await data.start();
  await before.put("/old", { timer: 10, user: "alice" });
  data.clock.advance(90 * 60_000);
  await before.put("/mixed", { timer: 10, user: "alice" });
  data.clock.advance(60 * 60_000);
  await before.put("/mixed", { timer: 10, user: "bob" });
  await before.close();
  data.clock.advance(70 * 60_000);

  await using after = await data.start();
  expect(await after.app.rooms.has("old")).toBe(false);
  const [history, timer] = await replayOf(`${after.url}/mixed/events`);
  expect(JSON.parse(history!.data)).toEqual([]);
  expect(JSON.parse(timer!.data)).toMatchObject({ user: "bob" });
});

test("a goal's deletion is told to new listeners across a restart, and forgotten with the history's retention", async () => {
  const data = dataDirectory();
  const before = await data.start();
  await before.put("/r/goal", { goal: "short-lived", user: "alice" });
  data.clock.advance(1000);
  await del(`${before.url}/r/goal`, { user: "bob" });
  await before.close();

  const after = await data.start();
  const [, , goal] = await replayOf(`${after.url}/r/events`);
  expect(JSON.parse(goal!.data)).toEqual({ goal: null, user: "bob", requested: "2026-11-21T09:00:01.000Z" });
  await after.close();

  data.clock.advance(25 * HOUR);
  await using later = await data.start();
  await using fresh = await startServer();
  expect(await later.app.rooms.has("r")).toBe(false);
  const replay = (url: string) => replayOf(`${url}/r/events`).then((events) => events.map(({ event, data }) => ({ event, data })));
  expect(await replay(later.url)).toEqual(await replay(fresh.url));
});

// A store may fail by rejecting the promise of a write (SQLite) or by throwing before it
// returns one (a store that writes at once, as the memory store does).
const storeFailures: [string, () => () => Promise<never> | never][] = [
  [
    "rejects",
    () => async () => {
      throw new Error("disk I/O error");
    },
  ],
  [
    "throws at once",
    () => () => {
      throw new Error("disk I/O error");
    },
  ],
];

test.each(storeFailures)("when the store cannot save (it %s), the change is answered 503 with a reason and nothing changes", async (_how, failingWrite) => {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-persist-"));
  dirs.push(dir);
  const clock = new ManualClock();
  let failing = false;
  const sqlite = await SqliteStore.open(dir, clock);
  const store = new Proxy(sqlite, {
    get(target, property) {
      if (failing && property === "append") return failingWrite();
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const s = await startServer({}, { clock, store });
  await s.put("/r", { timer: 10, user: "alice" });
  await s.put("/r/goal", { goal: "before", user: "alice" });
  const snapshot = async () => ({
    replay: await replayOf(`${s.url}/r/events`),
    goal: await (await fetch(`${s.url}/r/goal`)).json(),
    stats: await (await fetch(`${s.url}/stats`)).text(),
  });
  const unchanged = await snapshot();
  await using events = await EventReader.open(`${s.url}/r/events`);
  await events.replay();

  failing = true;
  const refused = [
    await s.put("/r", { timer: 5, user: "bob" }),
    await s.put("/r", { breaktimer: 5, user: "bob" }),
    await s.put("/new-room", { timer: 5, user: "bob" }),
    await s.put("/r/goal", { goal: "after", user: "bob" }),
    await del(`${s.url}/r/goal`, { user: "bob" }),
  ];
  for (const response of refused) {
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: expect.stringContaining("could not be stored") });
  }
  expect(await snapshot()).toEqual(unchanged);
  expect(await s.app.rooms.has("new-room")).toBe(false);

  failing = false;
  await s.put("/r", { timer: 7, user: "carol" });
  // The first event after the failures is the next accepted change: none was announced.
  expect(JSON.parse((await events.next()).data)).toMatchObject({ timer: 7, user: "carol" });
  await s.close();

  const reopened = await SqliteStore.open(dir, clock);
  const room = await reopened.readRoom("r");
  await reopened.close();
  expect(room!.history.map((e) => e.user)).toEqual(["alice", "carol"]);
  expect(room!.goal.goal).toBe("before");
});

test("a room forgotten once its history expired goes on with higher ids after a restart, never from 1 again", async () => {
  const data = dataDirectory({ sweepMs: 20 });
  const before = await data.start();
  for (const user of ["alice", "bob", "carol"]) await before.put("/r", { timer: 5, user });
  data.clock.advance(25 * HOUR);
  await eventually(async () => !(await before.app.rooms.has("r")) && (await before.app.rooms.count()) === 0);
  await before.close();

  await using after = await data.start();
  await using events = await EventReader.open(`${after.url}/r/events`);
  await events.replay();
  await after.put("/r", { timer: 5, user: "dave" });
  expect(Number((await events.next("TIMER_REQUEST")).id)).toBeGreaterThan(3);
});
