// Who is here: the names with a live connection to a team's room (an open page, a terminal
// following it), kept a while after their last connection ends so that a reload or a
// reconnect does not flicker; and the roster's opt-in rule that passes over who is not here.
// Pure: what depends on time takes `now`. Not a change of the room: never numbered or stored
// with it; with several instances each reports its own names to the store (Store.reportHere).
import type { GoalState, TimerRequest } from "./changes.ts";
import type { Roster } from "./settings.ts";

/** How long a name stays here after its last connection ends: longer than a reload or a reconnect's backoff. */
export const LINGER_MS = 30_000;

/** A member not here who made no change for this long is passed over, when the roster says so. */
export const IDLE_MS = 60 * 60_000;

interface RoomNames {
  /** Live connections by name. */
  open: Map<string, number>;
  /** Names whose last connection ended, with when (ms): here until LINGER_MS later. */
  gone: Map<string, number>;
}

/** The names one instance has here, in the rooms it tracks (team rooms only: see lib/jobs/presence.ts). */
export class LocalPresence {
  private readonly rooms = new Map<string, RoomNames>();

  /** Rooms tracked now. */
  get tracked(): IterableIterator<string> {
    return this.rooms.keys();
  }

  isTracked(room: string): boolean {
    return this.rooms.has(room);
  }

  /** Starts tracking `room` with the names of its live connections (one entry per connection). */
  track(room: string, connections: Iterable<string>): void {
    const names: RoomNames = { open: new Map(), gone: new Map() };
    for (const name of connections) names.open.set(name, (names.open.get(name) ?? 0) + 1);
    this.rooms.set(room, names);
  }

  /** Stops tracking `room` (it opted out of team features). */
  forget(room: string): void {
    this.rooms.delete(room);
  }

  /** A connection of `name` opened; says whether the room's names changed. */
  arrive(room: string, name: string): boolean {
    const names = this.rooms.get(room);
    if (!names) return false;
    names.open.set(name, (names.open.get(name) ?? 0) + 1);
    return !names.gone.delete(name) && names.open.get(name) === 1;
  }

  /** A connection of `name` ended at `now`: the name lingers once it was the last. Names never change here. */
  leave(room: string, name: string, now: number): void {
    const names = this.rooms.get(room);
    const count = names?.open.get(name);
    if (!names || count === undefined) return;
    if (count > 1) names.open.set(name, count - 1);
    else {
      names.open.delete(name);
      names.gone.set(name, now);
    }
  }

  /** Whether a name lingers anywhere: only then is there anything for expire() to do. */
  get lingering(): boolean {
    for (const names of this.rooms.values()) if (names.gone.size > 0) return true;
    return false;
  }

  /** Lets go of the names that lingered LINGER_MS; answers the rooms whose names changed. */
  expire(now: number): string[] {
    const changed: string[] = [];
    for (const [room, names] of this.rooms) {
      let dropped = false;
      for (const [name, leftAt] of names.gone) {
        if (leftAt + LINGER_MS > now) continue;
        names.gone.delete(name);
        dropped = true;
      }
      if (dropped) changed.push(room);
    }
    return changed;
  }

  /** Who this instance has here in `room`, sorted: live and lingering names alike. */
  names(room: string): string[] {
    const names = this.rooms.get(room);
    if (!names) return [];
    return [...new Set([...names.open.keys(), ...names.gone.keys()])].sort();
  }
}

/** Names that several reports hold, once each, sorted: what every instance answers alike. */
export function mergedNames(reports: Iterable<readonly string[]>): string[] {
  const all = new Set<string>();
  for (const names of reports) for (const name of names) all.add(name);
  return [...all].sort();
}

/** Whether the roster passes over who is not here (its opt-in rule). */
export function skipsAbsent(roster: Roster | null): boolean {
  return roster?.skipAbsent === true;
}

/** Whether `name` changed the room since `since`: started a timer or break, or set or deleted the goal. */
function changedSince(history: readonly TimerRequest[], goal: GoalState, name: string, since: number): boolean {
  if (goal.user === name && goal.requested !== null && Date.parse(goal.requested) >= since) return true;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (Date.parse(entry.requested) < since) return false;
    if (entry.user === name) return true;
  }
  return false;
}

/**
 * Who the rule "pass over who is not here" passes over at `now`: a member with no live
 * connection (not in `here`) who made no change for IDLE_MS. Null when the roster does not
 * ask for it, so that a room without the rule pays nothing.
 */
export function passedOver(roster: Roster | null, here: readonly string[] | null, history: readonly TimerRequest[], goal: GoalState, now: number): ((name: string) => boolean) | null {
  if (!skipsAbsent(roster) || here === null) return null;
  const present = new Set(here);
  const since = now - IDLE_MS;
  return (name) => !present.has(name) && !changedSince(history, goal, name, since);
}
