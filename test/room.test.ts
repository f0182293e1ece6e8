// Pure room logic: who is next, clamping, goal truncation, expiry, and decide/apply.
import { describe, expect, test } from "bun:test";
import { defaultConfig } from "../lib/config.ts";
import type { RoomChange, TimerType } from "../lib/domain/changes.ts";
import { DomainError } from "../lib/domain/errors.ts";
import { Room } from "../lib/domain/room.ts";
import { Rotation } from "../lib/domain/rotation.ts";
import { clampMinutes, truncateGoal } from "../lib/domain/rules.ts";

const RULES = defaultConfig();

/** Decides and applies the start of a timer or break, as the core does; returns the change. */
function start(room: Room, type: TimerType, user: string | null, at: number, minutes = 5): RoomChange {
  const change = room.decide({ kind: "start", type, minutes, user }, at, RULES)!;
  room.apply(change, room.seq + 1, RULES.maxHistory);
  return change;
}

function nextOf(change: RoomChange): string | null {
  if (change.kind !== "timer" && change.kind !== "break") throw new Error(`not a timer: ${change.kind}`);
  return change.entry.nextUser;
}

const T0 = Date.parse("2026-11-21T09:00:00.000Z");

/** PROTOCOL.md's rule, written as literally as possible, to check the incremental one against. */
function nextTimerUserByTheBook(history: { type: TimerType; user: string | null }[], user: string | null) {
  if (history.length === 0) return null;
  const names = history
    .filter((e) => e.type === "TIMER" && e.user !== null && e.user.trim() !== "")
    .map((e) => e.user as string);
  while (names.length > 0 && names[names.length - 1] === user) names.pop();
  if (names.length === 0) return null;
  const last = names.lastIndexOf(user as string);
  return last === -1 ? names[0]! : names[last + 1]!;
}

function play(steps: [TimerType, string | null][]): (string | null)[] {
  const room = new Room("r");
  return steps.map(([type, user], i) => nextOf(start(room, type, user, T0 + i * 1000)));
}

describe("who is next", () => {
  const scenarios: { name: string; steps: [TimerType, string | null][]; next: (string | null)[] }[] = [
    {
      name: "the protocol's example: alice, bob, carol, then alice and bob again",
      steps: [["TIMER", "alice"], ["TIMER", "bob"], ["TIMER", "carol"], ["TIMER", "alice"], ["TIMER", "bob"]],
      next: [null, "alice", "alice", "bob", "carol"],
    },
    {
      name: "a user starting twice in a row is not their own next",
      steps: [["TIMER", "alice"], ["TIMER", "bob"], ["TIMER", "bob"], ["TIMER", "bob"]],
      next: [null, "alice", "alice", "alice"],
    },
    {
      name: "a user alone in the history has nobody next",
      steps: [["TIMER", "alice"], ["TIMER", "alice"], ["TIMER", "alice"]],
      next: [null, null, null],
    },
    {
      name: "blank and missing names are skipped and get the first name",
      steps: [["TIMER", "alice"], ["TIMER", ""], ["TIMER", null], ["TIMER", "  "], ["TIMER", "bob"]],
      next: [null, "alice", "alice", "alice", "alice"],
    },
    {
      name: "an unknown user gets the first name of the list",
      steps: [["TIMER", "alice"], ["TIMER", "bob"], ["TIMER", "zoe"]],
      next: [null, "alice", "alice"],
    },
    {
      name: "a break takes the next user of the latest entry",
      steps: [["TIMER", "alice"], ["TIMER", "bob"], ["BREAKTIMER", "carol"], ["BREAKTIMER", null], ["TIMER", "alice"]],
      next: [null, "alice", "alice", "alice", "bob"],
    },
    {
      name: "a break first in a room has nobody next, and a timer after it neither",
      steps: [["BREAKTIMER", "alice"], ["TIMER", "alice"], ["TIMER", "bob"]],
      next: [null, null, "alice"],
    },
    {
      name: "names are compared exactly, case and quotes included",
      steps: [["TIMER", 'a"l<b>'], ["TIMER", "Bob"], ["TIMER", "bob"], ["TIMER", 'a"l<b>']],
      next: [null, 'a"l<b>', 'a"l<b>', "Bob"],
    },
  ];
  for (const { name, steps, next } of scenarios) test(name, () => expect(play(steps)).toEqual(next));

  test("the incremental rotation agrees with the rule as written on random rooms", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const names = ["alice", "bob", "carol", "dave", "", null];
    for (let round = 0; round < 300; round++) {
      const history: { type: TimerType; user: string | null }[] = [];
      const rotation = new Rotation();
      for (let i = 0; i < 25; i++) {
        const user = names[random(names.length)]!;
        if (history.length > 0) {
          const expected = nextTimerUserByTheBook(history, user);
          expect(rotation.nextAfter(user)).toBe(expected);
        }
        history.push({ type: "TIMER", user });
        rotation.add(user);
      }
    }
  });
});

describe("expiry", () => {
  test("drops entries older than the cutoff and recomputes who is next from what is left", () => {
    const room = new Room("r");
    for (const [i, user] of ["alice", "bob", "carol"].entries()) start(room, "TIMER", user, T0 + i * 60_000);
    expect(room.trim(T0 + 1)).toBe(true);
    expect(room.history.map((e) => e.user)).toEqual(["bob", "carol"]);
    // With alice gone from the history, carol's successor is bob, the first name left.
    expect(nextOf(room.decide({ kind: "start", type: "TIMER", minutes: 5, user: "carol" }, T0 + 3 * 60_000, RULES)!)).toBe("bob");
    expect(room.trim(T0 + 1)).toBe(false);
  });

  test("a room runs while its latest timer has time left", () => {
    const room = new Room("r");
    start(room, "TIMER", "alice", T0);
    expect(room.isRunning(T0 + 5 * 60_000 - 1)).toBe(true);
    expect(room.isRunning(T0 + 5 * 60_000)).toBe(false);
  });
});

describe("limits on values", () => {
  test.each([
    [-5, 0],
    [0, 0],
    [25, 25],
    [1440, 1440],
    [1441, 1440],
    [1e300, 1440],
  ])("%p minutes are clamped to %p", (minutes, clamped) => expect(clampMinutes(minutes, 1440)).toBe(clamped));

  test("a goal of 256 characters is kept whole", () => {
    expect(truncateGoal("x".repeat(256), 256)).toBe("x".repeat(256));
  });

  test("a longer goal becomes its first 252 characters and ...", () => {
    const cut = truncateGoal("y".repeat(300), 256);
    expect(cut).toBe(`${"y".repeat(252)}...`);
    expect(cut.length).toBe(255);
  });

  test("cutting a goal never leaves half an emoji", () => {
    const cut = truncateGoal(`${"x".repeat(251)}😀${"x".repeat(10)}`, 256);
    expect(cut).toBe(`${"x".repeat(251)}...`);
  });
});

describe("deciding and applying changes", () => {
  test("a start is clamped, stamped with the time and typed; a break is a break change", () => {
    const room = new Room("r");
    expect(room.decide({ kind: "start", type: "TIMER", minutes: 5000, user: "a" }, T0, RULES)).toEqual({
      kind: "timer",
      entry: { timer: 1440, requested: "2026-11-21T09:00:00.000Z", user: "a", nextUser: null, type: "TIMER" },
    });
    expect(room.decide({ kind: "start", type: "BREAKTIMER", minutes: -3, user: null }, T0, RULES)).toMatchObject({ kind: "break", entry: { timer: 0 } });
  });

  test("deciding changes nothing until the change is applied, with its number", () => {
    const room = new Room("r");
    const change = room.decide({ kind: "set-goal", goal: "g".repeat(300), user: "a" }, T0, RULES)!;
    expect(room.goal.goal).toBeNull();
    room.apply(change, 7, RULES.maxHistory);
    expect(room.goal.goal).toBe(`${"g".repeat(252)}...`);
    expect(room.seq).toBe(7);
  });

  test("deleting a goal that is not there is no change; deleting one keeps who and when", () => {
    const room = new Room("r");
    expect(room.decide({ kind: "delete-goal", user: "a" }, T0, RULES)).toBeNull();
    room.apply(room.decide({ kind: "set-goal", goal: "g", user: "a" }, T0, RULES)!, 1, RULES.maxHistory);
    room.apply(room.decide({ kind: "delete-goal", user: "b" }, T0 + 1, RULES)!, 2, RULES.maxHistory);
    expect(room.goal).toEqual({ goal: null, user: "b", requested: "2026-11-21T09:00:00.001Z" });
    expect(room.isEmpty).toBe(false);
    expect(room.trim(T0 + 2)).toBe(true);
    expect(room.isEmpty).toBe(true);
  });

  test("a blank goal and an overlong user are refused with the core's error", () => {
    const room = new Room("r");
    expect(() => room.decide({ kind: "set-goal", goal: " ", user: null }, T0, RULES)).toThrow(DomainError);
    expect(() => room.decide({ kind: "start", type: "TIMER", minutes: 5, user: "u".repeat(257) }, T0, RULES)).toThrow('"user" is longer than 256 characters');
  });

  test("history beyond its cap loses the oldest entries, and the rotation follows", () => {
    const room = new Room("r");
    for (const [i, user] of ["alice", "bob", "carol", "dave"].entries()) {
      room.apply(room.decide({ kind: "start", type: "TIMER", minutes: 5, user }, T0 + i, RULES)!, i + 1, 3);
    }
    expect(room.history.map((e) => e.user)).toEqual(["bob", "carol", "dave"]);
    // alice left with the oldest entry: an unknown user's next is the first name left.
    expect(nextOf(room.decide({ kind: "start", type: "TIMER", minutes: 5, user: "alice" }, T0 + 9, RULES)!)).toBe("bob");
  });

  test("the sweep's expiry empties the history; a room is emptied only by a cutoff past its latest entry", () => {
    const room = new Room("r");
    start(room, "TIMER", "alice", T0);
    start(room, "TIMER", "bob", T0 + 1000);
    expect(room.emptiedBy(T0 + 1000)).toBe(false);
    expect(room.emptiedBy(T0 + 1001)).toBe(true);
    room.apply({ kind: "history-expired", cutoff: T0 + 1001 }, 3, RULES.maxHistory);
    expect(room.history).toEqual([]);
    expect(room.seq).toBe(3);
  });
});
