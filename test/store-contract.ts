// One contract for every store: the memory store, SQLite and (later) Redis run these same
// cases unchanged, so the room core can rely on the same behaviour from each.
import { describe, expect, test } from "bun:test";
import type { RoomChange, RoomEvent, TimerRequest, TimerType } from "../lib/domain/changes.ts";
import type { Roster, RoomSettings } from "../lib/domain/settings.ts";
import { COUNT_OPS, type CountField, type StatsCursor, type StatsTally } from "../lib/domain/rotation-count.ts";
import { firstDay, type StatsRow } from "../lib/domain/rotation-stats.ts";
import type { Store } from "../lib/store/store.ts";
import { eventually, ManualClock } from "./helpers.ts";

export const T0 = Date.parse("2026-11-21T09:00:00.000Z");
const HOUR = 3_600_000;

/** Makes a fresh, empty store; `maxHistory` is its history cap. Stores are closed by the suite. */
export type StoreFactory = (clock: ManualClock, maxHistory: number) => Promise<Store>;

function roster(...names: string[]): Roster {
  return { members: names.map((name) => ({ name, away: false, role: null })) };
}

function timer(user: string | null, at: number, type: TimerType = "TIMER", minutes = 10, nextUser: string | null = null): RoomChange {
  const entry: TimerRequest = { timer: minutes, requested: new Date(at).toISOString(), user, nextUser, type };
  return type === "TIMER" ? { kind: "timer", entry } : { kind: "break", entry };
}

function goal(text: string | null, user: string | null, at: number): RoomChange {
  const state = { goal: text, user, requested: new Date(at).toISOString() };
  return text === null ? { kind: "goal-deleted", goal: state } : { kind: "goal-set", goal: state };
}

const DAY = 24 * HOUR;

/** A tally as the core hands it over: `cursor`, and counts of the day of `at` (or their own day). */
function tally(cursor: StatsCursor, at: number, ...counts: [person: string, field: CountField, value: number, day?: string][]): StatsTally {
  const today = new Date(at).toISOString().slice(0, 10);
  return { cursor, counts: counts.map(([person, field, value, day = today]) => ({ day, person, field, op: COUNT_OPS[field], value })) };
}

function cursorAt(at: number, round: string[]): StatsCursor {
  const open: TimerRequest = { timer: 10, requested: new Date(at).toISOString(), user: "ann", nextUser: "bob", type: "TIMER" };
  return { open, day: open.requested.slice(0, 10), stretchMs: 600_000, lastEnd: { "Zoë \"z\"": at - 1, bob: at }, round, roundsSinceRetro: 2 };
}

/** The room's counts of the days kept at the clock's now (30, the stores' default), as the core reads them. */
function keptRows(store: Store, clock: ManualClock, room: string): Promise<StatsRow[]> {
  return store.readRoomStats(room, firstDay(clock.now(), 30), firstDay(clock.now(), 1));
}

/** Rows in one order, whatever order a store answers them in. */
function sorted(rows: StatsRow[]): StatsRow[] {
  const key = (row: StatsRow) => `${row.day} ${row.person} ${row.field}`;
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

export function storeContract(kind: string, make: StoreFactory): void {
  async function withStore(run: (store: Store, clock: ManualClock) => Promise<void>, maxHistory = 1000): Promise<void> {
    const clock = new ManualClock(T0);
    const store = await make(clock, maxHistory);
    try {
      await run(store, clock);
    } finally {
      await store.close();
    }
  }

  describe(`${kind} store contract`, () => {
    test("a room never stored reads as empty, numbered from zero in a new store", () =>
      withStore(async (store) => {
        expect(await store.readRoom("nobody")).toEqual({
          name: "nobody",
          history: [],
          goal: { goal: null, user: null, requested: null },
          seq: 0,
          settings: null,
        });
        expect(await store.roomCount()).toBe(0);
      }));

    test("appended changes read back in order, with the room's number", () =>
      withStore(async (store) => {
        const changes = [timer("alice", T0), goal("ship it", "bob", T0 + 1), timer("bob", T0 + 2, "BREAKTIMER", 5, "alice")];
        for (const [i, change] of changes.entries()) expect(await store.append("r", change, i + 1)).toEqual({ ok: true });
        const room = await store.readRoom("r");
        expect(room.seq).toBe(3);
        expect(room.history.map((e) => [e.user, e.type, e.timer, e.nextUser])).toEqual([
          ["alice", "TIMER", 10, null],
          ["bob", "BREAKTIMER", 5, "alice"],
        ]);
        expect(room.history[0]!.requested).toBe(new Date(T0).toISOString());
        expect(room.goal).toEqual({ goal: "ship it", user: "bob", requested: new Date(T0 + 1).toISOString() });
        expect(await store.roomCount()).toBe(1);
      }));

    test("an append under a number another writer took stores nothing and says the stored number", () =>
      withStore(async (store) => {
        await store.append("r", timer("alice", T0), 1);
        expect(await store.append("r", timer("bob", T0), 1)).toEqual({ ok: false, seq: 1 });
        expect(await store.append("r", timer("bob", T0), 3)).toEqual({ ok: false, seq: 1 });
        const room = await store.readRoom("r");
        expect(room.history.map((e) => e.user)).toEqual(["alice"]);
        expect((await store.readStats(T0)).timers).toEqual({ "10": 1 });
      }));

    test("rooms are numbered separately", () =>
      withStore(async (store) => {
        await store.append("a", timer("alice", T0), 1);
        await store.append("a", timer("alice", T0), 2);
        expect(await store.append("b", timer("bob", T0), 1)).toEqual({ ok: true });
        expect((await store.readRoom("b")).seq).toBe(1);
      }));

    test("a goal deletion is kept with its user and time; the room counts until it expires", () =>
      withStore(async (store, clock) => {
        await store.append("g", goal("x", "alice", T0), 1);
        await store.append("g", goal(null, "bob", T0 + 1000), 2);
        expect((await store.readRoom("g")).goal).toEqual({ goal: null, user: "bob", requested: new Date(T0 + 1000).toISOString() });
        expect(await store.roomCount()).toBe(1);
        clock.advance(25 * HOUR);
        await store.expire(clock.now() - 24 * HOUR, clock.now());
        expect(await store.roomCount()).toBe(0);
        expect((await store.readRoom("g")).goal).toEqual({ goal: null, user: null, requested: null });
      }));

    test("expiry drops old history, keeps goals, and forgets rooms left with nothing", () =>
      withStore(async (store) => {
        await store.append("old", timer("alice", T0), 1);
        await store.append("mixed", timer("alice", T0), 1);
        await store.append("mixed", timer("bob", T0 + 2 * HOUR), 2);
        await store.append("goal", timer("alice", T0), 1);
        await store.append("goal", goal("keep", "alice", T0), 2);
        await store.expire(T0 + HOUR, T0 + 25 * HOUR);
        expect((await store.readRoom("mixed")).history.map((e) => e.user)).toEqual(["bob"]);
        expect((await store.readRoom("goal")).history).toEqual([]);
        expect((await store.readRoom("goal")).goal.goal).toBe("keep");
        expect((await store.readRoom("old")).history).toEqual([]);
        expect(await store.roomCount()).toBe(2);
      }));

    test("a room its goal keeps goes on from its latest number when its whole history expires", () =>
      withStore(async (store) => {
        await store.append("r", goal("keep", "alice", T0), 1);
        await store.append("r", timer("alice", T0), 2);
        await store.append("r", timer("bob", T0 + 1000), 3);
        await store.expire(T0 + HOUR, T0 + HOUR);
        expect(await store.readRoom("r")).toMatchObject({ history: [], seq: 3 });
        expect(await store.append("r", timer("carol", T0 + HOUR), 3)).toEqual({ ok: false, seq: 3 });
        expect(await store.append("r", timer("carol", T0 + HOUR), 4)).toEqual({ ok: true });
      }));

    test("a forgotten room's name goes on from a number above any it had", () =>
      withStore(async (store) => {
        for (let seq = 1; seq <= 5; seq++) await store.append("gone", timer("alice", T0), seq);
        await store.expire(T0 + HOUR, T0 + HOUR);
        const again = await store.readRoom("gone");
        expect(again.history).toEqual([]);
        expect(again.seq).toBeGreaterThanOrEqual(5);
        expect(await store.append("gone", timer("bob", T0 + HOUR), 1)).toMatchObject({ ok: false });
        expect(await store.append("gone", timer("bob", T0 + HOUR), again.seq + 1)).toEqual({ ok: true });
      }));

    test("the rooms a cutoff would empty are those whose whole history is older", () =>
      withStore(async (store) => {
        await store.append("aged", timer("alice", T0), 1);
        await store.append("aged", goal("keep", "alice", T0), 2);
        await store.append("mixed", timer("alice", T0), 1);
        await store.append("mixed", timer("bob", T0 + 2 * HOUR), 2);
        await store.append("goal-only", goal("keep", "alice", T0), 1);
        expect(await store.emptiedRooms(T0 + HOUR)).toEqual(["aged"]);
        expect((await store.emptiedRooms(T0 + 3 * HOUR)).sort()).toEqual(["aged", "mixed"]);
        expect(await store.emptiedRooms(T0)).toEqual([]);
      }));

    test("the sweep's numbered expiry empties the room's history", () =>
      withStore(async (store) => {
        await store.append("r", timer("alice", T0), 1);
        await store.append("r", goal("g", "alice", T0), 2);
        await store.append("r", { kind: "history-expired", cutoff: T0 + 1 }, 3);
        const room = await store.readRoom("r");
        expect(room).toMatchObject({ history: [], seq: 3 });
        expect(room.goal.goal).toBe("g");
      }));

    test("history beyond the cap loses its oldest entries", () =>
      withStore(async (store) => {
        for (let i = 1; i <= 5; i++) await store.append("r", timer(`u${i}`, T0 + i), i);
        expect((await store.readRoom("r")).history.map((e) => e.user)).toEqual(["u3", "u4", "u5"]);
      }, 3));

    test("text of any kind is stored as sent, and text that is not valid Unicode fails no change", () =>
      withStore(async (store) => {
        // A lone surrogate cannot be UTF-8; stores may keep it or replace it, but never fail
        // the changes written with it.
        const [fox, lone] = [timer("🦊 Zoë \"x\" \\ ✓", T0), goal("half \ud800 of a pair", "ann", T0)];
        const results = await Promise.all([store.append("a", fox, 1), store.append("b", lone, 1), store.append("c", timer("bob", T0), 1)]);
        expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
        expect((await store.readRoom("a")).history[0]!.user).toBe('🦊 Zoë "x" \\ ✓');
        expect((await store.readRoom("b")).goal.goal).toStartWith("half ");
        expect((await store.readRoom("c")).history[0]!.user).toBe("bob");
      }));

    test("rooms whose latest timer still runs are found", () =>
      withStore(async (store) => {
        await store.append("running", timer("alice", T0, "TIMER", 10), 1);
        await store.append("done", timer("alice", T0, "TIMER", 10), 1);
        await store.append("done", timer("bob", T0 + 60_000, "TIMER", 0), 2);
        await store.append("break", timer("alice", T0, "BREAKTIMER", 30), 1);
        const running = await store.runningRooms(T0 + 5 * 60_000);
        expect(running.map((r) => r.name).sort()).toEqual(["break", "running"]);
        expect(running.find((r) => r.name === "running")!.history).toHaveLength(1);
        expect(await store.runningRooms(T0 + 31 * 60_000)).toEqual([]);
        // A running room comes with its latest entry alone, whatever its history holds.
        await store.append("long", timer("alice", T0, "TIMER", 10), 1);
        await store.append("long", timer("bob", T0 + 60_000, "TIMER", 10), 2);
        const long = (await store.runningRooms(T0 + 5 * 60_000)).find((r) => r.name === "long")!;
        expect([long.seq, long.history.map((entry) => entry.user)]).toEqual([2, ["bob"]]);
        expect((await store.readRoom("long")).history).toHaveLength(2);
        // Asked for rooms with settings only, a team's running room is found, and no other.
        await store.append("running", { kind: "settings", settings: { roster: roster("alice") }, cause: { type: "roster", action: "add", user: null } }, 2);
        const teams = await store.runningRooms(T0 + 5 * 60_000, true);
        expect(teams.map((r) => [r.name, r.settings])).toEqual([["running", { roster: roster("alice") }]]);
      }));

    test("statistics count timers and breaks per length, goals set, days and hours", () =>
      withStore(async (store) => {
        await store.append("r", timer("a", T0, "TIMER", 10), 1);
        await store.append("r", timer("a", T0 + HOUR, "TIMER", 10), 2);
        await store.append("r", timer("a", T0 + 2 * HOUR, "BREAKTIMER", 5), 3);
        await store.append("r", goal("g", "a", T0), 4);
        await store.append("r", goal(null, "a", T0), 5);
        await store.append("s", timer("b", T0 + 24 * HOUR, "TIMER", 15), 1);
        const stats = await store.readStats(T0 + 24 * HOUR);
        expect(stats).toMatchObject({ since: new Date(T0).toISOString(), timers: { "10": 2, "15": 1 }, breaks: { "5": 1 }, goals: 1 });
        expect(stats.days).toEqual({ "2026-11-21": 3, "2026-11-22": 1 });
        expect(stats.hours[9]).toBe(2);
        expect(stats.hours[10]).toBe(1);
        expect(stats.hours[11]).toBe(1);
        expect(stats.hours.reduce((a, b) => a + b, 0)).toBe(4);
        expect(Object.keys(stats.timers)).toEqual(["10", "15"]);
        const later = await store.readStats(T0 + 40 * 24 * HOUR);
        expect(later.days).toEqual({});
        expect(later.timers).toEqual({ "10": 2, "15": 1 });
      }));

    test("every committed change is reported to subscribers in order, until they unsubscribe", () =>
      withStore(async (store) => {
        const seen: RoomEvent[] = [];
        const unsubscribe = store.subscribe((event) => seen.push(event));
        await store.append("r", timer("alice", T0), 1);
        await store.append("r", goal("g", "alice", T0), 2);
        await store.append("r", timer("bob", T0), 1);
        // A shared store's feed arrives a moment after the append that caused it.
        await eventually(() => seen.length >= 2);
        unsubscribe();
        await store.append("r", timer("carol", T0), 3);
        await Bun.sleep(50);
        expect(seen.map((e) => [e.room, e.seq, e.change.kind])).toEqual([["r", 1, "timer"], ["r", 2, "goal-set"]]);
      }));

    test("a room's settings are stored whole, keep the room beyond its history, and go when cleared", () =>
      withStore(async (store) => {
        const settings: RoomSettings = { roster: { members: [{ name: "ann", away: false, role: "Zoë's \"team\" ✓" }, ...roster("bob").members] }, cadence: { turns: 3, minutes: null } };
        const set = (value: RoomSettings | null): RoomChange => ({ kind: "settings", settings: value, cause: { type: "cadence", user: null } });
        expect(await store.append("team", timer("ann", T0), 1)).toEqual({ ok: true });
        expect(await store.append("team", set(settings), 2)).toEqual({ ok: true });
        expect(await store.readRoom("team")).toMatchObject({ seq: 2, settings, history: [{ user: "ann" }] });
        // A settings change counts for nothing in the statistics.
        expect((await store.readStats(T0)).timers).toEqual({ "10": 1 });
        // The history goes; the settings keep the room.
        await store.expire(T0 + 2 * HOUR, T0 + 2 * HOUR);
        expect(await store.readRoom("team")).toMatchObject({ seq: 2, settings, history: [] });
        expect(await store.roomCount()).toBe(1);
        expect(await store.roomNames()).toEqual(["team"]);
        // Cleared, nothing is left: the room is forgotten, and its number is not reused.
        expect(await store.append("team", set(null), 3)).toEqual({ ok: true });
        expect(await store.roomCount()).toBe(0);
        expect(await store.readRoom("team")).toMatchObject({ seq: 3, settings: null, history: [] });
        // A room with nothing but settings is a room.
        expect(await store.append("fresh", set({ roster: roster() }), 4)).toEqual({ ok: true });
        expect(await store.readRoom("fresh")).toMatchObject({ seq: 4, settings: { roster: roster() } });
        expect(await store.roomCount()).toBe(1);
      }));

    test("an imported room reads back whole, counts and runs, and goes on from its number", () =>
      withStore(async (store) => {
        const entries = [timer("alice", T0 - HOUR, "TIMER", 10), timer("bob", T0, "BREAKTIMER", 30, "alice")].map((c) => (c as { entry: TimerRequest }).entry);
        const deleted = { goal: null, user: "carol", requested: new Date(T0).toISOString() };
        await store.importRoom({ name: "moved", seq: 57, goal: deleted, history: entries, settings: null });
        await store.importRoom({ name: "goal-only", seq: 3, goal: { goal: "g", user: "dan", requested: new Date(T0).toISOString() }, history: [], settings: null });
        await store.importRoom({ name: "settled", seq: 9, goal: { goal: null, user: null, requested: null }, history: [], settings: { roster: roster("ann") } });
        expect(await store.readRoom("moved")).toEqual({ name: "moved", seq: 57, goal: deleted, history: entries, settings: null });
        expect(await store.readRoom("settled")).toMatchObject({ seq: 9, history: [], settings: { roster: roster("ann") } });
        expect((await store.roomNames()).sort()).toEqual(["goal-only", "moved", "settled"]);
        expect(await store.roomCount()).toBe(3);
        expect((await store.runningRooms(T0 + 60_000)).map((r) => r.name)).toEqual(["moved"]);
        expect(await store.append("moved", timer("erin", T0 + 1), 58)).toEqual({ ok: true });
        // Imported again, the room is replaced, not added to.
        await store.importRoom({ name: "moved", seq: 60, goal: { goal: null, user: null, requested: null }, history: entries.slice(1), settings: null });
        expect(await store.readRoom("moved")).toEqual({ name: "moved", seq: 60, goal: { goal: null, user: null, requested: null }, history: entries.slice(1), settings: null });
        // Expiry treats imported history like any other.
        await store.expire(T0 + 1, T0 + 1);
        expect((await store.roomNames()).sort()).toEqual(["goal-only", "settled"]);
      }));

    test("imported statistics replace the counted ones and are counted on", () =>
      withStore(async (store) => {
        await store.append("r", timer("a", T0, "TIMER", 10), 1);
        const snapshot = { since: "2026-01-01T00:00:00.000Z", timers: { "10": 5, "25": 2 }, breaks: { "5": 1 }, goals: 4, days: { "2026-11-20": 8 }, hours: Array.from({ length: 24 }, (_, h) => (h === 9 ? 8 : 0)) };
        await store.importStats(snapshot);
        expect(await store.readStats(T0)).toEqual(snapshot);
        await store.append("r", timer("a", T0, "TIMER", 10), 2);
        expect(await store.readStats(T0)).toMatchObject({ since: "2026-01-01T00:00:00.000Z", timers: { "10": 6, "25": 2 }, days: { "2026-11-20": 8, "2026-11-21": 1 } });
      }));

    test("who is here is every instance's report merged, until its heartbeat runs out; every subscriber hears of the room", () =>
      withStore(async (store) => {
        const heard: string[] = [];
        const unsubscribe = store.subscribeHere((room) => heard.push(room));
        await store.reportHere("a", "r", ["bob", "alice"], T0 + 30_000, T0);
        await store.reportHere("b", "r", ["carol", "alice"], T0 + 60_000, T0);
        await store.reportHere("b", "other", ["dave"], T0 + 60_000, T0);
        expect(await store.readHere("r", T0)).toEqual(["alice", "bob", "carol"]);
        expect(await store.readHere("nobody-here", T0)).toEqual([]);
        await eventually(() => heard.length === 3);
        expect(heard.sort()).toEqual(["other", "r", "r"]);
        // a keeps beating, b stops: b's names go once its last heartbeat runs out.
        expect(await store.renewHere("a", T0 + 90_000, T0 + 25_000)).toBe(true);
        expect(await store.readHere("r", T0 + 59_000)).toEqual(["alice", "bob", "carol"]);
        expect(await store.readHere("r", T0 + 60_000)).toEqual(["alice", "bob"]);
        expect(await store.readHere("other", T0 + 60_000)).toEqual([]);
        // A report of nobody takes the instance's names of that room away.
        await store.reportHere("a", "r", ["bob"], T0 + 90_000, T0 + 61_000);
        expect(await store.readHere("r", T0 + 61_000)).toEqual(["bob"]);
        await store.reportHere("a", "r", [], T0 + 90_000, T0 + 62_000);
        expect(await store.readHere("r", T0 + 62_000)).toEqual([]);
        // b, back after it was taken for gone, learns so at its heartbeat, and reports again.
        expect(await store.renewHere("b", T0 + 120_000, T0 + 63_000)).toBe(false);
        unsubscribe();
      }));

    test("a team's rotation is counted in the change's own write: merged as each field says, the cursor kept with the room", () =>
      withStore(async (store, clock) => {
        const first = cursorAt(T0, []);
        expect(await store.append("team", timer("ann", T0), 1, tally(first, T0, ["ann", "turns", 1], ["ann", "gapMinMs", 500], ["", "stretchMs", 900]))).toEqual({ ok: true });
        const second = cursorAt(T0 + HOUR, ["ann", "Zoë \"z\""]);
        const yesterday = new Date(T0 - DAY).toISOString().slice(0, 10);
        expect(
          await store.append("team", timer("bob", T0 + HOUR), 2, tally(second, T0, ["ann", "turns", 1], ["ann", "gapMinMs", 300], ["", "stretchMs", 600], ["bob", "gapMaxMs", 7, yesterday])),
        ).toEqual({ ok: true });
        // A change another writer got to first counts nothing and keeps nothing.
        expect(await store.append("team", timer("eve", T0), 2, tally(cursorAt(T0, ["eve"]), T0, ["eve", "turns", 1]))).toEqual({ ok: false, seq: 2 });
        expect((await store.readRoom("team")).statsCursor).toEqual(second);
        expect(sorted(await keptRows(store, clock, "team"))).toEqual([
          { day: yesterday, person: "bob", field: "gapMaxMs", value: 7 },
          { day: "2026-11-21", person: "", field: "stretchMs", value: 900 },
          { day: "2026-11-21", person: "ann", field: "gapMinMs", value: 300 },
          { day: "2026-11-21", person: "ann", field: "turns", value: 2 },
        ]);
        expect((await store.readRoomStats("team", "2026-11-21", "2026-11-21")).length).toBe(3);
        expect((await store.readRoomStats("team", yesterday, yesterday)).length).toBe(1);
        expect(await keptRows(store, clock, "other")).toEqual([]);
        // A change without a tally (a room that never opted in) leaves the cursor as it was.
        expect(await store.append("team", goal("g", null, T0), 3)).toEqual({ ok: true });
        expect((await store.readRoom("team")).statsCursor).toEqual(second);
        expect(await store.readRoom("plain")).not.toHaveProperty("statsCursor");
      }));

    test("a team's rotation counts outlive the history, and go once their day is no longer kept", async () => {
      await withStore(async (store, clock) => {
        const set: RoomChange = { kind: "settings", settings: null, cause: { type: "roster", action: "clear", user: null } };
        await store.append("team", timer("ann", T0), 1, tally(cursorAt(T0, []), T0, ["ann", "turns", 1]));
        // The roster dropped and the history expired: the room is forgotten, its counts are kept.
        await store.append("team", set, 2, tally(cursorAt(T0, []), T0));
        await store.expire(T0 + 2 * DAY, T0 + 2 * DAY);
        expect(await store.roomCount()).toBe(0);
        clock.advance(29 * DAY);
        expect(await keptRows(store, clock, "team")).toEqual([{ day: "2026-11-21", person: "ann", field: "turns", value: 1 }]);
        clock.advance(DAY);
        await store.expire(T0 + 30 * DAY, T0 + 30 * DAY);
        expect(await keptRows(store, clock, "team")).toEqual([]);
      });
    });

    test("an import replaces a room's rotation counts and keeps its cursor", () =>
      withStore(async (store, clock) => {
        await store.append("team", timer("ann", T0), 1, tally(cursorAt(T0, []), T0, ["ann", "turns", 5], ["zed", "turns", 1]));
        const rows: StatsRow[] = [
          { day: "2026-11-20", person: "ann", field: "gapMinMs", value: 120_000 },
          { day: "2026-11-21", person: "ann", field: "turns", value: 2 },
        ];
        await store.importRoomStats("team", rows);
        expect(sorted(await keptRows(store, clock, "team"))).toEqual(rows);
        // Counted on from what was imported.
        await store.append("team", timer("bob", T0), 2, tally(cursorAt(T0, []), T0, ["ann", "turns", 1], ["ann", "gapMinMs", 60_000, "2026-11-20"]));
        expect(sorted(await keptRows(store, clock, "team"))).toEqual([
          { day: "2026-11-20", person: "ann", field: "gapMinMs", value: 60_000 },
          { day: "2026-11-21", person: "ann", field: "turns", value: 3 },
        ]);
        const cursor = cursorAt(T0, ["bob"]);
        await store.importRoom({ name: "moved", seq: 4, goal: { goal: null, user: null, requested: null }, history: [], settings: { roster: roster("bob") }, statsCursor: cursor });
        expect((await store.readRoom("moved")).statsCursor).toEqual(cursor);
      }));

    test("a name taken out moves every count kept under it to someone, merged as each field says, in the change's own write", () =>
      withStore(async (store, clock) => {
        const yesterday = new Date(T0 - DAY).toISOString().slice(0, 10);
        await store.append(
          "team",
          timer("ann", T0),
          1,
          tally(cursorAt(T0, []), T0, ["ann", "turns", 2], ["ann", "gapMaxMs", 90], ["someone", "turns", 1], ["someone", "gapMaxMs", 50], ["bob", "turns", 4], ["ann", "workMs", 600, yesterday]),
        );
        const takenOut: RoomChange = { kind: "settings", settings: { roster: roster("ann", "bob") }, cause: { type: "roster", action: "anonymous", user: null } };
        // Refused, the change moves nothing.
        expect(await store.append("team", takenOut, 1, { ...tally(cursorAt(T0, []), T0), forget: ["ann"] })).toEqual({ ok: false, seq: 1 });
        expect(await store.append("team", takenOut, 2, { ...tally(cursorAt(T0, []), T0, ["someone", "turns", 1]), forget: ["ann"] })).toEqual({ ok: true });
        expect(sorted(await keptRows(store, clock, "team"))).toEqual([
          { day: yesterday, person: "someone", field: "workMs", value: 600 },
          { day: "2026-11-21", person: "bob", field: "turns", value: 4 },
          { day: "2026-11-21", person: "someone", field: "gapMaxMs", value: 90 },
          { day: "2026-11-21", person: "someone", field: "turns", value: 4 },
        ]);
      }));

    test("check resolves on a working store", () => withStore((store) => store.check()));
  });
}
