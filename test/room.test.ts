// Pure room logic: who is next, clamping, goal truncation, expiry.
import { describe, expect, test } from "bun:test";
import { clampMinutes, Room, Rotation, truncateGoal, type TimerType } from "../lib/room.ts";

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
  return steps.map(([type, user], i) => {
    const entry = room.nextRequest(type, 5, user, T0 + i * 1000);
    room.add(entry);
    return entry.nextUser;
  });
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
    for (const [i, user] of ["alice", "bob", "carol"].entries()) room.add(room.nextRequest("TIMER", 5, user, T0 + i * 60_000));
    expect(room.expire(T0 + 1)).toBe(true);
    expect(room.history.map((e) => e.user)).toEqual(["bob", "carol"]);
    // With alice gone from the history, carol's successor is bob, the first name left.
    expect(room.nextRequest("TIMER", 5, "carol", T0 + 3 * 60_000).nextUser).toBe("bob");
    expect(room.expire(T0 + 1)).toBe(false);
  });

  test("a room runs while its latest timer has time left", () => {
    const room = new Room("r");
    room.add(room.nextRequest("TIMER", 5, "alice", T0));
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
