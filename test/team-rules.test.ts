// The team's rules, pure: who is next by the roster, the roster a room starts from, the
// edits, the work since a break, the settings kept beside other features', time's up.
import { describe, expect, test } from "bun:test";
import { breakDueAfterLatest, workSinceBreak } from "../lib/domain/cadence.ts";
import type { TimerRequest } from "../lib/domain/changes.ts";
import { DomainError } from "../lib/domain/errors.ts";
import { Room } from "../lib/domain/room.ts";
import { editRoster, MAX_MEMBERS, nextOnRoster, rosterFromHistory } from "../lib/domain/roster.ts";
import { joinChange, timeUpChange } from "../lib/domain/team-changes.ts";
import type { Roster } from "../lib/domain/settings.ts";
import { withTeam } from "../lib/domain/team.ts";

const T0 = Date.parse("2026-11-21T09:00:00.000Z");
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function roster(...names: string[]): Roster {
  return { members: names.map((name) => ({ name: name.replace("!", ""), away: name.endsWith("!"), role: null })) };
}

function entry(user: string | null, minutes: number, at: number, type: TimerRequest["type"] = "TIMER"): TimerRequest {
  return { timer: minutes, requested: new Date(T0 + at * MINUTE).toISOString(), user, nextUser: null, type };
}

const never = () => {
  throw new Error("no randomness expected");
};

describe("who is next by the roster", () => {
  test("the next member after the user, wrapping round", () => {
    expect(nextOnRoster(roster("alice", "bob", "carol"), "alice")).toBe("bob");
    expect(nextOnRoster(roster("alice", "bob", "carol"), "carol")).toBe("alice");
  });
  test("members away are skipped until back", () => {
    expect(nextOnRoster(roster("alice", "bob!", "carol"), "alice")).toBe("carol");
    expect(nextOnRoster(roster("alice", "bob!", "carol!"), "alice")).toBeNull();
  });
  test("a user not on the roster joins at its end: the first member present is next", () => {
    expect(nextOnRoster(roster("alice!", "bob"), "dave")).toBe("bob");
    expect(nextOnRoster(roster("alice", "bob"), null)).toBe("alice");
  });
  test("an empty roster has nobody next", () => {
    expect(nextOnRoster(roster(), "alice")).toBeNull();
  });
});

test("a roster starts from the history's timer users, each by their latest turn", () => {
  const history = [entry("alice", 10, 0), entry("bob", 10, 10), entry("carol", 10, 20), entry("alice", 10, 30), entry("", 5, 35), entry("zoe", 5, 40, "BREAKTIMER"), entry("carol", 10, 45), entry("bob", 10, 55)];
  expect(rosterFromHistory(history).members.map((m) => m.name)).toEqual(["alice", "carol", "bob"]);
});

describe("roster edits", () => {
  const edit = (r: Roster, e: Parameters<typeof editRoster>[1], random: (n: number) => number = never) => editRoster(r, e, random, 256);
  const names = (r: Roster) => r.members.map((m) => (m.away ? `${m.name}!` : m.name));

  test("add, remove, move, away, back and role", () => {
    let r = edit(roster("alice", "bob"), { action: "add", name: "carol", role: "typist" });
    expect(r.members[2]).toEqual({ name: "carol", away: false, role: "typist" });
    r = edit(r, { action: "move", name: "carol", to: 0 });
    expect(names(r)).toEqual(["carol", "alice", "bob"]);
    r = edit(r, { action: "away", name: "alice" });
    expect(names(r)).toEqual(["carol", "alice!", "bob"]);
    r = edit(r, { action: "back", name: "alice" });
    r = edit(r, { action: "role", name: "bob", role: "navigator" });
    r = edit(r, { action: "remove", name: "carol" });
    expect(r.members).toEqual([{ name: "alice", away: false, role: null }, { name: "bob", away: false, role: "navigator" }]);
  });
  test("shuffle puts the members in an order the random numbers choose", () => {
    // Fisher-Yates from the end: i=2 swaps with 0, i=1 with 1.
    const picks = [0, 1];
    expect(names(edit(roster("alice", "bob", "carol"), { action: "shuffle" }, () => picks.shift()!))).toEqual(["carol", "bob", "alice"]);
  });
  test.each([
    ["a member added twice", { action: "add", name: "alice", role: null }, "on the roster already"],
    ["a blank name", { action: "add", name: "  ", role: null }, '"name" is empty'],
    ["a name too long", { action: "add", name: "x".repeat(257), role: null }, "longer than 256"],
    ["a role too long", { action: "add", name: "dave", role: "x".repeat(41) }, "longer than 40"],
    ["someone not on the roster", { action: "away", name: "dave" }, "not on the roster"],
    ["a position beyond the end", { action: "move", name: "alice", to: 2 }, "from 0 to 1"],
  ] as const)("%s is refused", (_, e, message) => {
    expect(() => edit(roster("alice", "bob"), e)).toThrow(message);
  });
  test(`a roster holds at most ${MAX_MEMBERS} members`, () => {
    const full = roster(...Array.from({ length: MAX_MEMBERS }, (_, i) => `m${i}`));
    expect(() => edit(full, { action: "add", name: "one-more", role: null })).toThrow(DomainError);
  });
});

describe("work since the latest break", () => {
  test("counts the timers after the latest break, each until its end or until replaced", () => {
    const history = [entry("alice", 10, 0), entry(null, 5, 10, "BREAKTIMER"), entry("bob", 10, 15), entry("carol", 10, 20), entry("dave", 10, 30)];
    expect(workSinceBreak(history, T0 + 35 * MINUTE)).toEqual({ turns: 3, minutes: 5 + 10 + 5 });
  });
  test("a timer replaced within its first minute, and a stop, are no turns", () => {
    const history = [entry("alice", 10, 0), entry("alice", 0, 0.5), entry("bob", 10, 1)];
    expect(workSinceBreak(history, T0 + 11 * MINUTE)).toEqual({ turns: 1, minutes: 10 });
  });
  test("a break is due after the latest timer when its turns or its minutes reach the cadence", () => {
    const history = [entry("alice", 10, 0), entry("bob", 10, 10)];
    expect(breakDueAfterLatest({ turns: 2, minutes: null }, history)).toBe(true);
    expect(breakDueAfterLatest({ turns: 3, minutes: null }, history)).toBe(false);
    expect(breakDueAfterLatest({ turns: null, minutes: 20 }, history)).toBe(true);
    expect(breakDueAfterLatest({ turns: null, minutes: 21 }, history)).toBe(false);
    expect(breakDueAfterLatest(null, history)).toBe(false);
    expect(breakDueAfterLatest({ turns: 1, minutes: null }, [...history, entry(null, 5, 20, "BREAKTIMER")])).toBe(false);
  });
});

test("the team's fields are changed beside other features', and settings left empty are none", () => {
  const hooks = { hooks: { list: [{ id: "h", format: "json" as const, url: "https://example.com", secret: null, events: [], paused: false, failures: 0, lastError: null }] } };
  const both = withTeam(hooks, { roster: roster("alice"), timeUp: { requested: "x" } });
  expect(both).toEqual({ ...hooks, roster: roster("alice"), timeUp: { requested: "x" } });
  expect(withTeam(both, { roster: null })).toEqual(hooks);
  expect(withTeam({ cadence: { turns: 2, minutes: null } }, { cadence: null })).toBeNull();
});

describe("time's up, decided", () => {
  function room(settings: Room["settings"], ...history: TimerRequest[]): Room {
    return Room.from({ name: "r", history, goal: { goal: null, user: null, requested: null }, seq: history.length, settings });
  }
  const team = { roster: roster("alice", "bob", "carol!") };

  test("fires for the latest timer once it has ended, telling who is next by the roster now", () => {
    const r = room(team, entry("bob", 10, 0));
    expect(timeUpChange(r.latest!.requested, false)(r, T0 + 10 * MINUTE - 1)).toBeNull();
    const change = timeUpChange(r.latest!.requested, false)(r, T0 + 10 * MINUTE);
    expect(change).toEqual({
      kind: "settings",
      settings: { ...team, timeUp: { requested: r.latest!.requested } },
      cause: { type: "time-up", entry: r.latest!, ended: "2026-11-21T09:10:00.000Z", late: false, next: "alice", breakDue: false },
    });
  });
  test("never for a timer replaced, a stop, one announced already, or a room that never opted in", () => {
    const replaced = entry("alice", 10, 0);
    expect(timeUpChange(replaced.requested, false)(room(team, replaced, entry("bob", 10, 5)), T0 + DAY)).toBeNull();
    const stop = entry("alice", 0, 0);
    expect(timeUpChange(stop.requested, false)(room(team, stop), T0 + DAY)).toBeNull();
    const done = entry("alice", 10, 0);
    expect(timeUpChange(done.requested, false)(room({ ...team, timeUp: { requested: done.requested } }, done), T0 + DAY)).toBeNull();
    expect(timeUpChange(done.requested, false)(room(null, done), T0 + DAY)).toBeNull();
    expect(timeUpChange(done.requested, false)(room({ hooks: { list: [] } }, done), T0 + DAY)).toBeNull();
  });
  test("a user who started a timer joins the roster once, and not a full one", () => {
    const r = room(team);
    const change = joinChange("dave")(r, T0);
    expect(change?.kind === "settings" && change.settings).toEqual({ roster: roster("alice", "bob", "carol!", "dave") });
    expect(joinChange("bob")(r, T0)).toBeNull();
    expect(joinChange("dave")(room(null), T0)).toBeNull();
    expect(joinChange("dave")(room({ roster: roster(...Array.from({ length: MAX_MEMBERS }, (_, i) => `m${i}`)) }), T0)).toBeNull();
  });
});
