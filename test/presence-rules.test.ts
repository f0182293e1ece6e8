// Who is here and the roster's rule "pass over who is not here", pure: the names an
// instance keeps, their linger, the rule's verdict, and the roster's edit that turns it on.
import { describe, expect, test } from "bun:test";
import type { GoalState, TimerRequest } from "../lib/domain/changes.ts";
import { NO_GOAL } from "../lib/domain/changes.ts";
import { IDLE_MS, LINGER_MS, LocalPresence, mergedNames, passedOver } from "../lib/domain/presence.ts";
import { editRoster, joined, nextOnRoster } from "../lib/domain/roster.ts";
import { decodeRoster, type Roster } from "../lib/domain/settings.ts";

const T0 = Date.parse("2026-11-21T09:00:00.000Z");
const MINUTE = 60_000;

const never = () => {
  throw new Error("no randomness expected");
};

function roster(...names: string[]): Roster {
  return { members: names.map((name) => ({ name, away: false, role: null })), skipAbsent: true };
}

function entry(user: string, minutesAgo: number): TimerRequest {
  return { timer: 10, requested: new Date(T0 - minutesAgo * MINUTE).toISOString(), user, nextUser: null, type: "TIMER" };
}

describe("the names an instance has here", () => {
  test("a name is here while any of its connections is open, and lingers 30 s after the last ends", () => {
    const local = new LocalPresence();
    local.track("r", ["alice"]);
    expect(local.arrive("r", "alice")).toBe(false);
    expect(local.arrive("r", "bob")).toBe(true);
    local.leave("r", "alice", T0);
    expect(local.names("r")).toEqual(["alice", "bob"]);
    local.leave("r", "alice", T0);
    local.leave("r", "bob", T0 + 5000);
    expect(local.lingering).toBe(true);
    expect(local.expire(T0 + LINGER_MS - 1)).toEqual([]);
    expect(local.expire(T0 + LINGER_MS)).toEqual(["r"]);
    expect(local.names("r")).toEqual(["bob"]);
    // Back within the linger: no change.
    expect(local.arrive("r", "bob")).toBe(false);
    expect(local.lingering).toBe(false);
  });

  test("rooms not tracked (not a team's) keep nothing", () => {
    const local = new LocalPresence();
    expect(local.arrive("plain", "alice")).toBe(false);
    local.leave("plain", "alice", T0);
    expect(local.names("plain")).toEqual([]);
    expect([...local.tracked]).toEqual([]);
  });

  test("several instances' names merge once each, sorted", () => {
    expect(mergedNames([["bob", "alice"], ["alice", "carol"], []])).toEqual(["alice", "bob", "carol"]);
  });
});

describe("the rule: pass over who is not here", () => {
  const goal: GoalState = NO_GOAL;

  test("a member not here who made no change for an hour is passed over; here, or active lately, is not", () => {
    const team = roster("alice", "bob", "carol", "dave");
    const history = [entry("carol", 61), entry("dave", 59)];
    const skip = passedOver(team, ["alice"], history, goal, T0)!;
    expect(["alice", "bob", "carol", "dave"].filter(skip)).toEqual(["bob", "carol"]);
    expect(nextOnRoster(team, "alice", skip)).toBe("dave");
  });

  test("setting the goal counts as a change", () => {
    const skip = passedOver(roster("alice", "bob"), [], [], { goal: "ship", user: "bob", requested: new Date(T0 - IDLE_MS + 1).toISOString() }, T0)!;
    expect(skip("bob")).toBe(false);
    expect(skip("alice")).toBe(true);
  });

  test("off unless the roster asks for it, and when who is here is not known", () => {
    expect(passedOver({ members: roster("a").members }, [], [], goal, T0)).toBeNull();
    expect(passedOver(roster("a"), null, [], goal, T0)).toBeNull();
  });

  test("a member marked away is still skipped; when the rule would pass over everyone, it is as if it were off", () => {
    const team: Roster = { members: [{ name: "alice", away: false, role: null }, { name: "bob", away: true, role: null }, { name: "carol", away: false, role: null }], skipAbsent: true };
    const everyone = () => true;
    expect(nextOnRoster(team, "alice", everyone)).toBe("carol");
    expect(nextOnRoster(team, "carol", everyone)).toBe("alice");
  });
});

describe("the rule on the roster", () => {
  test("turned on and off by an edit, and kept by every other edit and by a join", () => {
    const plain: Roster = { members: roster("alice", "bob").members };
    const on = editRoster(plain, { action: "skip-absent", on: true }, never, 256);
    expect(on).toEqual({ ...plain, skipAbsent: true });
    expect(editRoster(on, { action: "away", name: "bob" }, never, 256).skipAbsent).toBe(true);
    expect(editRoster(on, { action: "add", name: "carol", role: null }, never, 256).skipAbsent).toBe(true);
    expect(joined(on, "dave")?.skipAbsent).toBe(true);
    expect(editRoster(on, { action: "skip-absent", on: false }, never, 256)).toEqual(plain);
  });

  test("read back from a store: on only when it says true; a roster without it reads as it always did", () => {
    const members = [{ name: "alice", away: false, role: null }];
    expect(decodeRoster({ members, skipAbsent: true })).toEqual({ members, skipAbsent: true });
    expect(decodeRoster({ members, skipAbsent: "yes" })).toEqual({ members });
    expect(decodeRoster({ members })).toEqual({ members });
  });
});
