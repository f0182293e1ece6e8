// When one viewer's turn comes, pure: the roster's order, members away, a running break, a
// viewer who is not on the roster, and one whose turn it is.
import { describe, expect, test } from "bun:test";
import type { TimerRequest } from "../lib/domain/changes.ts";
import { myTurn } from "../lib/domain/my-turn.ts";
import type { Roster } from "../lib/domain/settings.ts";

const T0 = Date.parse("2026-12-07T09:00:00.000Z");
const MINUTE = 60_000;
const TURN = 10 * MINUTE;

/** Names ending in "!" are away. */
function roster(...names: string[]): Roster {
  return { members: names.map((name) => ({ name: name.replace("!", ""), away: name.endsWith("!"), role: null })) };
}

function entry(user: string | null, minutes: number, type: TimerRequest["type"] = "TIMER", nextUser: string | null = null): TimerRequest {
  return { timer: minutes, requested: new Date(T0).toISOString(), user, nextUser, type };
}

const at = (minutes: number) => T0 + minutes * MINUTE;

describe("when is my turn", () => {
  test("follows the roster's order from whoever is next, the running timer's rest first", () => {
    const team = roster("alice", "bob", "carol", "dana");
    const alice = entry("alice", 10);
    expect(myTurn(team, alice, "bob", at(4), TURN)).toEqual({ kind: "coming", turnsAhead: 0, inMs: 6 * MINUTE });
    expect(myTurn(team, alice, "carol", at(4), TURN)).toEqual({ kind: "coming", turnsAhead: 1, inMs: 16 * MINUTE });
    expect(myTurn(team, alice, "dana", at(4), TURN)).toEqual({ kind: "coming", turnsAhead: 2, inMs: 26 * MINUTE });
  });

  test("the viewer whose timer runs has their turn now; once it ended, everyone else comes first", () => {
    const team = roster("alice", "bob", "carol");
    expect(myTurn(team, entry("alice", 10), "alice", at(3), TURN)).toEqual({ kind: "now" });
    expect(myTurn(team, entry("alice", 10), "alice", at(12), TURN)).toEqual({ kind: "coming", turnsAhead: 2, inMs: 2 * TURN });
  });

  test("members away are passed over, and a viewer who is away has no turn coming", () => {
    const team = roster("alice", "bob!", "carol", "dana");
    expect(myTurn(team, entry("alice", 10), "carol", at(0), TURN)).toEqual({ kind: "coming", turnsAhead: 0, inMs: 10 * MINUTE });
    expect(myTurn(team, entry("alice", 10), "dana", at(0), TURN)).toEqual({ kind: "coming", turnsAhead: 1, inMs: 20 * MINUTE });
    expect(myTurn(team, entry("alice", 10), "bob", at(0), TURN)).toBeNull();
  });

  test("during a break, the member the break names as next comes after it", () => {
    const team = roster("alice", "bob", "carol");
    const pause = entry("alice", 5, "BREAKTIMER", "bob");
    expect(myTurn(team, pause, "bob", at(1), TURN)).toEqual({ kind: "coming", turnsAhead: 0, inMs: 4 * MINUTE });
    expect(myTurn(team, pause, "carol", at(1), TURN)).toEqual({ kind: "coming", turnsAhead: 1, inMs: 14 * MINUTE });
    expect(myTurn(team, pause, "alice", at(1), TURN)).toEqual({ kind: "coming", turnsAhead: 2, inMs: 24 * MINUTE });
  });

  test("a viewer not on the roster, or without a name, has no turn coming", () => {
    const team = roster("alice", "bob");
    expect(myTurn(team, entry("alice", 10), "erin", at(0), TURN)).toBeNull();
    expect(myTurn(team, entry("alice", 10), " ", at(0), TURN)).toBeNull();
  });

  test("an idle room: the roster's first is next, with nothing to wait for", () => {
    expect(myTurn(roster("alice", "bob"), undefined, "alice", at(0), TURN)).toEqual({ kind: "coming", turnsAhead: 0, inMs: 0 });
    expect(myTurn(roster("alice", "bob"), undefined, "bob", at(0), TURN)).toEqual({ kind: "coming", turnsAhead: 1, inMs: TURN });
  });

  test("without a roster only who is next is known", () => {
    const alice = entry("alice", 10, "TIMER", "bob");
    expect(myTurn(null, alice, "bob", at(2), TURN)).toEqual({ kind: "coming", turnsAhead: 0, inMs: 8 * MINUTE });
    expect(myTurn(null, alice, "carol", at(2), TURN)).toBeNull();
    expect(myTurn(null, alice, "alice", at(2), TURN)).toEqual({ kind: "now" });
  });
});
