// Time's up from the server, on a manual clock: one TIME_UP per timer or break of a team's
// room when it ends, none for a timer replaced before its end, the cadence's break due, once
// more (late) after a restart for a timer that ended while the server was down, and never a
// word or a change in a room that never opted in.
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RoomEvent } from "../lib/domain/changes.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { StoreUnavailable } from "../lib/store/store.ts";
import { EventReader, ManualClock, eventually, startServer, type TestServer } from "./helpers.ts";

const MINUTE = 60_000;
/** Checks every 10 ms: a few of them pass in the waits below. */
const FAST = { timeUpMs: 10 };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function optIn(s: TestServer, room: string, names: string[]): Promise<unknown> {
  return names.reduce<Promise<unknown>>(
    (done, name) => done.then(() => fetch(`${s.url}/api/rooms/${room}/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) })),
    Promise.resolve(),
  );
}

async function listen(s: TestServer, room: string): Promise<EventReader> {
  const reader = await EventReader.open(`${s.url}/${room}/events`);
  await reader.replay();
  return reader;
}

/** Lets several checks pass (each reads the clock), then makes a change and waits for it: no TIME_UP came meanwhile. */
async function nothingMoreThen(s: TestServer, clock: ManualClock, reader: EventReader, room: string): Promise<void> {
  const from = reader.received.length;
  await clock.readMore(8);
  await s.put(`/${room}/goal`, { goal: "marker", user: null });
  await reader.next("GOAL_REQUEST");
  expect(reader.received.slice(from).map((event) => event.event)).not.toContain("TIME_UP");
}

test("a team's timer ends with one TIME_UP: the entry, its end, who is next, not late", async () => {
  const clock = new ManualClock();
  await using s = await startServer(FAST, { clock });
  await optIn(s, "r", ["alice", "bob"]);
  await using events = await listen(s, "r");
  await events.next("TEAM_UPDATE");
  await s.put("/r", { timer: 10, user: "alice" });
  const timer = await events.next("TIMER_REQUEST");
  clock.advance(10 * MINUTE - 1);
  // Checks a millisecond before the end announce nothing.
  await clock.readMore(5);
  clock.advance(1);
  const up = await events.next();
  expect(up.event).toBe("TIME_UP");
  expect(Number(up.id)).toBe(Number(timer.id) + 1);
  expect(JSON.parse(up.data)).toEqual({ entry: JSON.parse(timer.data), ended: "2026-11-21T09:10:00.000Z", late: false, next: "bob", breakDue: false });
  await nothingMoreThen(s, clock, events, "r");
});

test("who is next at time's up follows the roster as it is then", async () => {
  const clock = new ManualClock();
  await using s = await startServer(FAST, { clock });
  await optIn(s, "r", ["alice", "bob", "carol"]);
  await using events = await listen(s, "r");
  await s.put("/r", { timer: 10, user: "alice" });
  await fetch(`${s.url}/api/rooms/r/roster`, { method: "POST", body: JSON.stringify({ action: "away", name: "bob" }) });
  clock.advance(10 * MINUTE);
  expect(JSON.parse((await events.next("TIME_UP")).data).next).toBe("carol");
});

test("a timer replaced before its end never fires; the one that replaced it does", async () => {
  const clock = new ManualClock();
  await using s = await startServer(FAST, { clock });
  await optIn(s, "r", ["alice", "bob"]);
  await using events = await listen(s, "r");
  await s.put("/r", { timer: 10, user: "alice" });
  clock.advance(5 * MINUTE);
  await s.put("/r", { timer: 10, user: "bob" });
  clock.advance(5 * MINUTE);
  await nothingMoreThen(s, clock, events, "r");
  clock.advance(5 * MINUTE);
  const up = JSON.parse((await events.next("TIME_UP")).data);
  expect(up.entry.user).toBe("bob");
  await nothingMoreThen(s, clock, events, "r");
});

test("with a cadence, the turn that reaches it ends with a break due; a break ends too, and counting starts again", async () => {
  const clock = new ManualClock();
  await using s = await startServer(FAST, { clock });
  await fetch(`${s.url}/api/rooms/r/cadence`, { method: "PUT", body: JSON.stringify({ turns: 2 }) });
  await using events = await listen(s, "r");
  const turn = async (body: object, minutes: number) => {
    await s.put("/r", body);
    clock.advance(minutes * MINUTE);
    return JSON.parse((await events.next("TIME_UP")).data) as { breakDue: boolean; entry: { type: string } };
  };
  expect((await turn({ timer: 10, user: "alice" }, 10)).breakDue).toBe(false);
  expect((await turn({ timer: 10, user: "bob" }, 10)).breakDue).toBe(true);
  expect(await turn({ breaktimer: 5, user: "bob" }, 5)).toMatchObject({ breakDue: false, entry: { type: "BREAKTIMER" } });
  expect((await turn({ timer: 10, user: "alice" }, 10)).breakDue).toBe(false);
});

test("a room that opts in after its timer ended is not told of that timer", async () => {
  const clock = new ManualClock();
  await using s = await startServer(FAST, { clock });
  await using events = await listen(s, "r");
  await s.put("/r", { timer: 10, user: "alice" });
  clock.advance(12 * MINUTE);
  await optIn(s, "r", ["bob"]);
  await events.next("TEAM_UPDATE");
  await nothingMoreThen(s, clock, events, "r");
});

test("a room that never opted in hears nothing when its timer ends, and nothing is stored", async () => {
  const clock = new ManualClock();
  await using s = await startServer(FAST, { clock });
  await using events = await listen(s, "plain");
  await s.put("/plain", { timer: 10, user: "alice" });
  await events.next("TIMER_REQUEST");
  clock.advance(11 * MINUTE);
  await nothingMoreThen(s, clock, events, "plain");
  const state = await (await fetch(`${s.url}/api/rooms/plain`)).json();
  expect(state.seq).toBe(2);
  expect(s.app.rooms.find("plain")?.settings ?? null).toBeNull();
});

test("after a restart, a timer that ended while the server was down fires once, late; one that ended over an hour before does not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-time-up-"));
  dirs.push(dir);
  const clock = new ManualClock();
  const start = async () => startServer({ timeUpMs: 100 }, { clock, store: await SqliteStore.open(dir, clock) });
  {
    await using s = await start();
    await optIn(s, "soon", ["alice"]);
    await optIn(s, "long-ago", ["alice"]);
    await s.put("/long-ago", { timer: 5, user: "alice" });
    clock.advance(10 * MINUTE);
    await s.put("/soon", { timer: 60, user: "alice" });
  }
  // Down from 09:10 until 10:50: "long-ago" ended at 09:05, over an hour before; "soon" at 10:10.
  clock.advance(100 * MINUTE);
  await using again = await start();
  const seen: RoomEvent[] = [];
  again.app.rooms.observe({ changed: (event) => void seen.push(event), reset() {} });
  // Both ended timers were known at start and are due on the first check: a change made after
  // the first announcement is stored after any second one.
  await eventually(() => seen.length > 0);
  await again.put("/marker", { timer: 1, user: "alice" });
  await eventually(() => seen.some((event) => event.room === "marker"));
  expect(seen.filter((event) => event.room !== "marker").map((event) => [event.room, event.change.kind === "settings" && event.change.cause])).toEqual([
    ["soon", expect.objectContaining({ type: "time-up", late: true, ended: "2026-11-21T10:10:00.000Z" })],
  ]);
});

test("a start whose look at ended timers fails asks again, and the late TIME_UP is still sent once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-time-up-"));
  dirs.push(dir);
  const clock = new ManualClock();
  {
    await using s = await startServer(FAST, { clock, store: await SqliteStore.open(dir, clock) });
    await optIn(s, "soon", ["alice"]);
    await s.put("/soon", { timer: 5, user: "alice" });
  }
  clock.advance(10 * MINUTE);
  const store = await SqliteStore.open(dir, clock);
  // The store cannot answer the start's looks at running rooms at first (the restore's, then the job's).
  let failures = 2;
  const running = store.runningRooms.bind(store);
  store.runningRooms = (now, withSettings) => (failures-- > 0 ? Promise.reject(new StoreUnavailable("busy")) : running(now, withSettings));
  // Checks every 100 ms: the observer below is in place before the first.
  await using again = await startServer({ timeUpMs: 100 }, { clock, store });
  const seen: RoomEvent[] = [];
  again.app.rooms.observe({ changed: (event) => void seen.push(event), reset() {} });
  await eventually(() => seen.length > 0);
  expect(failures).toBeLessThan(0);
  // A change after the announcement, heard by the same observer: a second one would be stored before it.
  clock.advance(1000);
  await again.put("/marker", { timer: 1, user: "alice" });
  await eventually(() => seen.some((event) => event.room === "marker"));
  expect(seen.filter((event) => event.room !== "marker").map((event) => [event.room, event.change.kind === "settings" && event.change.cause])).toEqual([
    ["soon", expect.objectContaining({ type: "time-up", late: true })],
  ]);
});
