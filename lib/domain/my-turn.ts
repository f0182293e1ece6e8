// When one person's turn comes: from the roster's order (who is away skipped), who is next
// now and the timer or break that runs. Pure, for the room page, which says "your turn in
// about 25 min" to a viewer who gave their name.
import { endOf, runsAt, type TimerRequest } from "./changes.ts";
import { nextOnRoster } from "./roster.ts";
import type { Roster } from "./settings.ts";
import { whoIsNext } from "./team-view.ts";

/** The viewer's turn: theirs now, or coming after `turnsAhead` others' turns, in about `inMs`. */
export type MyTurn = { kind: "now" } | { kind: "coming"; turnsAhead: number; inMs: number };

/** How many turns others take before `viewer`'s, counting from `next`; null when the turn never passes to them. */
function turnsBefore(roster: Roster | null, next: string, viewer: string): number | null {
  if (!roster) return next === viewer ? 0 : null;
  let who: string | null = next;
  for (let ahead = 0; who !== null && ahead < roster.members.length; ahead++) {
    if (who === viewer) return ahead;
    who = nextOnRoster(roster, who);
  }
  return null;
}

/**
 * When `viewer`'s turn comes at `now`, each turn of the others taking `turnMs`; null when it
 * does not come by the rotation (no name, away, not on the roster, nobody next).
 */
export function myTurn(roster: Roster | null, latest: TimerRequest | undefined, viewer: string, now: number, turnMs: number): MyTurn | null {
  if (viewer.trim() === "") return null;
  const running = latest !== undefined && runsAt(latest, now);
  if (running && latest.type === "TIMER" && latest.user === viewer) return { kind: "now" };
  const next = whoIsNext(roster, latest);
  const turnsAhead = next === null ? null : turnsBefore(roster, next, viewer);
  if (turnsAhead === null) return null;
  const left = running ? endOf(latest) - now : 0;
  return { kind: "coming", turnsAhead, inMs: left + turnsAhead * turnMs };
}
