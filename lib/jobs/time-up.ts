// Time's up from the server: in rooms with a roster or a cadence, the end of each timer and
// break is announced once (a numbered settings change, so that with several instances the
// first to store it wins and the others decide nothing). The job knows the ends of the rooms
// in memory (every room with a running timer is) from the changes it observes, and at start
// asks the store for timers that ended while the server was down: those are announced late.
// With a store several instances share, it asks again now and then: an instance that took a
// timer and then died must not leave its end unannounced.
import type { Clock } from "../base/clock.ts";
import { Room } from "../domain/room.ts";
import type { Rooms } from "../domain/rooms.ts";
import { optedIn, timeUpOf } from "../domain/team.ts";
import { endOfLatest, timeUpChange } from "../domain/team-changes.ts";
import type { Logger } from "../base/log.ts";
import type { Store } from "../store/store.ts";
import { commitInBackground } from "./background-commit.ts";

/**
 * How long after its end a timer that ended while the server was down is still announced:
 * a team back within the hour still wants to hear that its turn is over; later, the news
 * is stale (and the next timer has usually started anyway).
 */
export const LATE_WINDOW_MS = 60 * 60_000;

/**
 * Checks between two looks at a shared store's running timers: 30 s with checks every
 * second, so that every timer (a minute at least) is seen running at least once.
 */
export const CHECKS_PER_LOOK = 30;

interface Due {
  requested: string;
  endsAt: number;
  late: boolean;
}

export function timeUpJob(rooms: Rooms, store: Store, clock: Clock, logger: Logger, intervalMs: number): () => void {
  const due = new Map<string, Due>();
  const firing = new Set<string>();

  /**
   * Notes when the room's latest entry ends, if that is still to be announced. One that has
   * ended already is announced, late, only when learned of at start or when catching up
   * with the store (`late`), and within the window; a room that opts in after its timer
   * ended is not told of that timer.
   */
  function track(room: Room, late: boolean): void {
    const latest = room.latest;
    const endsAt = endOfLatest(room);
    if (!latest || endsAt === null || !optedIn(room.settings) || timeUpOf(room.settings)?.requested === latest.requested) {
      due.delete(room.name);
      return;
    }
    if (due.get(room.name)?.requested === latest.requested) return;
    const now = clock.now();
    const ended = endsAt <= now;
    if (ended && (!late || endsAt <= now - LATE_WINDOW_MS)) due.delete(room.name);
    else due.set(room.name, { requested: latest.requested, endsAt, late: ended });
  }

  function fire(name: string, entry: Due): void {
    firing.add(name);
    void commitInBackground(rooms, name, timeUpChange(entry.requested, entry.late), logger, "time's up").then((stored) => {
      firing.delete(name);
      // Announced, replaced meanwhile, or the room opted out: done. A store that failed is tried again.
      if (stored && due.get(name) === entry) due.delete(name);
    });
  }

  const unobserve = rooms.observe({
    changed: (_event, room) => track(room, false),
    reset: (room) => track(room, true),
  });
  /**
   * Tracks every timer the store knows of that runs at `since`: at start, those that ended
   * within the window while the server was down (`late`); later, with a shared store, those
   * running that another instance took. That one announces them itself, unless it died: the
   * first to store wins. Looking while they run, never after, keeps the rule that a room
   * which opts in after its timer ended is not told of it.
   */
  function look(since: number, late: boolean): void {
    // A shared store that cannot answer says so itself; only the start's loss is worth a line.
    const unknown = late ? (error: unknown) => logger.log("warn", "timers that ended while the server was down are not known", { error: String(error) }) : () => {};
    // Only a room with settings can have opted in: the others are not read at all.
    store
      .runningRooms(since, true)
      .then((states) => {
        for (const state of states) if (!due.has(state.name)) track(Room.from(state), late);
      })
      .catch(unknown);
  }
  look(clock.now() - LATE_WINDOW_MS, true);

  const shared = store.shareCounts !== undefined;
  let checks = 0;
  const timer = setInterval(() => {
    const now = clock.now();
    for (const [name, entry] of due) if (entry.endsAt <= now && !firing.has(name)) fire(name, entry);
    if (shared && ++checks % CHECKS_PER_LOOK === 0) look(now, false);
  }, intervalMs);
  return () => {
    clearInterval(timer);
    unobserve();
  };
}
