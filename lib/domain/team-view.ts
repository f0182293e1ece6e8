// A team's room as its members see it: the roster and cadence, who is next, the work since
// the latest break and whether a break is due.
import type { TimerRequest } from "./changes.ts";
import type { Cadence, Roster } from "./settings.ts";
import { isDue, workSinceBreak, type Work } from "./cadence.ts";
import type { Room } from "./room.ts";
import { passedOver } from "./presence.ts";
import { nextOnRoster } from "./roster.ts";
import { cadenceOf, optedIn, rosterOf } from "./team.ts";

export interface TeamView {
  roster: Roster | null;
  cadence: Cadence | null;
  /** Who takes the next turn now: by the roster as it is, when the room has one. */
  next: string | null;
  work: Work;
  /** The cadence asks for a break now. */
  breakDue: boolean;
}

/**
 * Who takes the turn after the room's latest entry: by the roster as it is now (someone may
 * have gone away meanwhile), else as the entry said; with no entry, the roster's first.
 */
export function whoIsNext(roster: Roster | null, latest: TimerRequest | undefined, skip: ((name: string) => boolean) | null = null): string | null {
  if (!latest) return roster && nextOnRoster(roster, null, skip);
  return roster && latest.type === "TIMER" ? nextOnRoster(roster, latest.user, skip) : latest.nextUser;
}

/** Who is next after `entry` in `room` at `now`; `here` as Decide has it. */
export function nextAfter(room: Room, entry: TimerRequest, here: readonly string[] | null, now: number): string | null {
  const roster = rosterOf(room.settings);
  return whoIsNext(roster, entry, passedOver(roster, here, room.history, room.goal, now));
}

/** The team's view of the room at `now`, or null for a room that never opted in; `here` as Decide has it. */
export function teamView(room: Room, now: number, here: readonly string[] | null = null): TeamView | null {
  if (!optedIn(room.settings)) return null;
  const roster = rosterOf(room.settings);
  const cadence = cadenceOf(room.settings);
  const work = workSinceBreak(room.history, now);
  return {
    roster,
    cadence,
    next: whoIsNext(roster, room.latest, passedOver(roster, here, room.history, room.goal, now)),
    work,
    breakDue: cadence !== null && isDue(cadence, work),
  };
}
