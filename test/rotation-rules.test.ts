// The rules of a team's rotation statistics, through the one commit path on a manual clock:
// what counts as a turn (as the break cadence counts), its minutes and its day, breaks and
// the longest stretch, the time to a person's next turn, full rounds with a roster edited
// and a member away, a stop, names taken out, the retro time's up suggests, and a room that
// never opted in.
import { describe, expect, test } from "bun:test";
import { workSinceBreak } from "../lib/domain/cadence.ts";
import type { TimerType } from "../lib/domain/changes.ts";
import { Rooms } from "../lib/domain/rooms.ts";
import type { RosterEdit } from "../lib/domain/roster.ts";
import type { PersonStats, RotationReport } from "../lib/domain/rotation-stats.ts";
import { cadenceChange, rosterChange, timeUpChange } from "../lib/domain/team-changes.ts";
import { defaultConfig, type Config } from "../lib/config.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { ManualClock } from "./helpers.ts";

const MINUTE = 60_000;
const never = () => {
  throw new Error("no randomness expected");
};

/** One team's room "r" on a manual clock, changed as its people would. */
function team(overrides: Partial<Config> = {}, start = "2026-11-21T09:00:00.000Z") {
  const rules = { ...defaultConfig(), ...overrides };
  const clock = new ManualClock(Date.parse(start));
  const rooms = new Rooms(rules, clock, new MemoryStore(clock));
  // Held, as a listener would: the room stays in memory for the test to look at.
  rooms.hold("r");
  const room = () => rooms.find("r")!;
  const t = {
    clock,
    rooms,
    /** `user` starts a timer (or break) of `minutes`, and `ran` minutes pass. */
    async start(user: string | null, minutes: number, ran = minutes, type: TimerType = "TIMER") {
      await rooms.commit("r", { kind: "start", type, minutes, user });
      clock.advance(ran * MINUTE);
    },
    async edit(edit: RosterEdit) {
      await rooms.commitDecided("r", rosterChange(edit, null, rules, never));
    },
    async roster(...names: string[]) {
      for (const name of names) await t.edit({ action: "add", name, role: null });
    },
    /** Time's up for the latest entry, as the job announces it once it ended; its cause. */
    async timeUp() {
      const event = await rooms.commitDecided("r", timeUpChange(room().latest!.requested, false));
      if (event?.change.kind !== "settings" || event.change.cause.type !== "time-up") throw new Error("no time's up");
      return event.change.cause;
    },
    async report(days = 1): Promise<RotationReport> {
      return (await rooms.rotation("r", days))!;
    },
    room,
  };
  return t;
}

function people(report: RotationReport, day = 0): [string, number, number][] {
  return report.days[day]!.people.map((p) => [p.name, p.turns, p.workMinutes]);
}

function person(report: RotationReport, name: string, day = 0): PersonStats {
  return report.days[day]!.people.find((p) => p.name === name)!;
}

describe("turns and minutes", () => {
  test("a turn counts once it ended (run out or replaced), with the minutes it ran, per person sorted by name", async () => {
    const t = team();
    await t.roster("cat", "ann", "bob");
    await t.start("cat", 10);
    await t.start("ann", 10, 7);
    await t.start("bob", 10);
    expect(people(await t.report())).toEqual([
      ["ann", 1, 7],
      ["cat", 1, 10],
    ]);
    await t.timeUp();
    const report = await t.report();
    expect(people(report)).toEqual([
      ["ann", 1, 7],
      ["bob", 1, 10],
      ["cat", 1, 10],
    ]);
    expect(report.total.people).toEqual(report.days[0]!.people);
    expect([report.from, report.to, report.room]).toEqual(["2026-11-21", "2026-11-21", "r"]);
  });

  test("a timer replaced in its first minute is no turn, as the cadence counts", async () => {
    const t = team();
    await t.roster("ann", "bob");
    await t.start("ann", 10, 0.5);
    await t.start("bob", 10, 1);
    await t.start("ann", 10, 10);
    await t.timeUp();
    expect(people(await t.report())).toEqual([
      ["ann", 1, 10],
      ["bob", 1, 1],
    ]);
    expect(workSinceBreak(t.room().history, t.clock.now()).turns).toBe(2);
  });

  test("a stop ends the turn where it stopped, and is no turn itself", async () => {
    const t = team();
    await t.roster("ann", "bob");
    await t.start("ann", 10, 4);
    await t.start("ann", 0, 30);
    await t.start("bob", 10, 10);
    await t.timeUp();
    const report = await t.report();
    expect(people(report)).toEqual([
      ["ann", 1, 4],
      ["bob", 1, 10],
    ]);
    expect(report.days[0]!.longestStretchMinutes).toBe(14);
  });

  test("a turn counts on the UTC day it started: a day crossing midnight", async () => {
    const t = team({}, "2026-11-21T23:50:00.000Z");
    await t.roster("ann", "bob");
    await t.start("ann", 20);
    await t.start("bob", 10);
    await t.timeUp();
    await t.start("ann", 10);
    await t.timeUp();
    const report = await t.report(2);
    expect(report.days.map((d) => d.day)).toEqual(["2026-11-21", "2026-11-22"]);
    expect(people(report, 0)).toEqual([["ann", 1, 20]]);
    expect(people(report, 1)).toEqual([
      ["ann", 1, 10],
      ["bob", 1, 10],
    ]);
    // The stretch starts again with the day; ann's turn ended after midnight, so her wait is the next day's.
    expect(report.days.map((d) => d.longestStretchMinutes)).toEqual([20, 20]);
    expect(person(report, "ann", 1).nextTurn).toEqual({ count: 1, averageMinutes: 10, minMinutes: 10, maxMinutes: 10 });
    expect(people({ ...report, days: [{ ...report.total, day: "" }] })).toEqual([
      ["ann", 2, 30],
      ["bob", 1, 10],
    ]);
  });

  test("days without turns are there with zeros", async () => {
    const t = team();
    await t.roster("ann");
    await t.start("ann", 10);
    await t.timeUp();
    t.clock.advance(2 * 24 * 60 * MINUTE);
    const report = await t.report(3);
    expect(report.days.map((d) => [d.day, d.people.length, d.rounds])).toEqual([
      ["2026-11-21", 1, 1],
      ["2026-11-22", 0, 0],
      ["2026-11-23", 0, 0],
    ]);
  });
});

describe("breaks, stretches and waits", () => {
  test("breaks and their minutes; the longest stretch of work between them", async () => {
    const t = team();
    await t.roster("ann", "bob");
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.start("ann", 10);
    await t.start(null, 5, 5, "BREAKTIMER");
    await t.start("bob", 10, 6);
    await t.start(null, 10, 10, "BREAKTIMER");
    await t.timeUp();
    const day = (await t.report()).days[0]!;
    expect([day.breaks, day.breakMinutes, day.longestStretchMinutes]).toEqual([2, 15, 30]);
  });

  test("the time from the end of a person's turn to the start of their next: count, average, least and most", async () => {
    const t = team();
    await t.roster("ann", "bob", "cat");
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.start("cat", 10);
    await t.start("ann", 10);
    await t.start("bob", 5);
    await t.start("ann", 10);
    await t.timeUp();
    const report = await t.report();
    expect(person(report, "ann").nextTurn).toEqual({ count: 2, averageMinutes: 12.5, minMinutes: 5, maxMinutes: 20 });
    expect(person(report, "bob").nextTurn).toEqual({ count: 1, averageMinutes: 20, minMinutes: 20, maxMinutes: 20 });
    expect(person(report, "cat").nextTurn).toBeNull();
  });

  test("a night is not a wait: the time to a turn on the next day is not counted", async () => {
    const t = team({}, "2026-11-21T16:40:00.000Z");
    await t.roster("ann", "bob");
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.timeUp();
    t.clock.advance(15 * 60 * MINUTE);
    await t.start("ann", 10);
    await t.timeUp();
    const report = await t.report(2);
    expect(person(report, "ann", 1)).toEqual({ name: "ann", turns: 1, workMinutes: 10, nextTurn: null });
    expect(report.total.people.find((p) => p.name === "ann")!.nextTurn).toBeNull();
  });
});

describe("full rounds", () => {
  test("a round is complete once every member present had a turn since it began", async () => {
    const t = team();
    await t.roster("ann", "bob");
    await t.start("ann", 10);
    await t.start("ann", 10);
    expect((await t.report()).days[0]!.rounds).toBe(0);
    await t.start("bob", 10);
    await t.timeUp();
    expect((await t.report()).days[0]!.rounds).toBe(1);
  });

  test("a roster edited mid-round: a member removed completes it, one added is waited for", async () => {
    const t = team();
    await t.roster("ann", "bob", "cat");
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.timeUp();
    expect((await t.report()).days[0]!.rounds).toBe(0);
    await t.edit({ action: "remove", name: "cat" });
    expect((await t.report()).days[0]!.rounds).toBe(1);
    await t.start("ann", 10);
    await t.edit({ action: "add", name: "dan", role: null });
    await t.start("bob", 10);
    await t.timeUp();
    expect((await t.report()).days[0]!.rounds).toBe(1);
    await t.start("dan", 10);
    await t.timeUp();
    expect((await t.report()).days[0]!.rounds).toBe(2);
  });

  test("a member away for a round is not waited for", async () => {
    const t = team();
    await t.roster("ann", "bob", "cat");
    await t.edit({ action: "away", name: "cat" });
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.timeUp();
    expect((await t.report()).days[0]!.rounds).toBe(1);
    await t.edit({ action: "back", name: "cat" });
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.timeUp();
    expect((await t.report()).days[0]!.rounds).toBe(1);
    await t.start("cat", 10);
    await t.timeUp();
    expect((await t.report()).days[0]!.rounds).toBe(2);
  });
});

describe("a retro after full rounds", () => {
  test("time's up suggests one once the cadence's number of rounds is complete, then counts again", async () => {
    const t = team();
    await t.roster("ann", "bob");
    await t.rooms.commitDecided("r", cadenceChange({ turns: null, minutes: null, retroRounds: 2 }, null, defaultConfig()));
    const dues: boolean[] = [];
    for (let round = 0; round < 4; round++) {
      for (const user of ["ann", "bob"]) {
        await t.start(user, 10);
        dues.push((await t.timeUp()).retroDue === true);
      }
    }
    expect(dues).toEqual([false, false, false, true, false, false, false, true]);
  });

  test("a round completed by a replaced timer is suggested at the next time's up; without retroRounds, never", async () => {
    const t = team();
    await t.roster("ann", "bob");
    await t.start("ann", 10);
    await t.start("bob", 10);
    expect((await t.timeUp()).retroDue).toBeUndefined();
    await t.rooms.commitDecided("r", cadenceChange({ turns: 4, minutes: null, retroRounds: 1 }, null, defaultConfig()));
    await t.start("ann", 10, 5);
    await t.start("bob", 10, 5);
    await t.start("ann", 10);
    // The round closed when ann started again; her time's up says so.
    expect((await t.timeUp()).retroDue).toBe(true);
  });
});

describe("names are their own", () => {
  test("a member who takes their name out counts as someone, their earlier days too, without waits", async () => {
    const t = team();
    await t.roster("ann", "bob");
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.start("ann", 10);
    await t.edit({ action: "anonymous", name: "ann" });
    await t.start("ann", 10);
    await t.timeUp();
    const report = await t.report();
    expect(people(report)).toEqual([
      ["bob", 1, 10],
      ["someone", 3, 30],
    ]);
    expect(person(report, "someone").nextTurn).toBeNull();
    expect(JSON.stringify(report)).not.toContain("ann");
    await t.edit({ action: "named", name: "ann" });
    expect(t.room().settings!.roster!.members[0]).toEqual({ name: "ann", away: false, role: null });
    // What was taken out stays out, also once she leaves the roster.
    await t.edit({ action: "remove", name: "ann" });
    expect(JSON.stringify(await t.report())).not.toContain("ann");
  });

  test("ROOM_STATS=false counts every turn as someone", async () => {
    const t = team({ roomStats: false });
    await t.roster("ann", "bob");
    await t.start("ann", 10);
    await t.start("bob", 10);
    await t.timeUp();
    const report = await t.report();
    expect(people(report)).toEqual([["someone", 2, 20]]);
    expect(report.days[0]!.rounds).toBe(1);
  });
});

test("a room that never opted in counts nothing and has no statistics", async () => {
  const t = team();
  await t.start("ann", 10);
  await t.start("bob", 10);
  expect(t.room().statsCursor).toBeNull();
  expect(await t.rooms.rotation("r", 7)).toBeNull();
  expect(t.room().state()).not.toHaveProperty("statsCursor");
});
