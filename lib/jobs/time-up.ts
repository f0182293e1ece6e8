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

/**
 * Time's-up changes under way at once at most: after a start on a large database thousands
 * of late ones are due together, and each reads its whole room; the next goes as one is
 * done, so that the changes and reads of people go on between them.
 */
const MAX_FIRING = 8;

interface Due {
  requested: string;
  endsAt: number;
  late: boolean;
}

export interface TimeUpJob {
  stop(): void;
  /**
   * Settles once the start's look at timers that ended while the server was down is done:
   * a look that fails is asked again on the next check, so that no late end is given up.
   */
  lookedBack: Promise<void>;
}

export function timeUpJob(rooms: Rooms, store: Store, clock: Clock, logger: Logger, intervalMs: number): TimeUpJob {
  const due = new Map<string, Due>();
  const firing = new Set<string>();
  /** Rooms whose announcement failed since the last check: not tried again before it. */
  const failed = new Set<string>();

  /**
   * Notes when the room's latest entry ends, if that is still to be announced. One that has
   * ended already is announced, late, only when learned of at start or when catching up
   * with the store (`late`), and within the window; a room that opts in after its timer
   * ended is not told of that timer.
   */
  function track(room: Room, late: boolean): void {
    const latest = room.latest;
    // Whether the room opted in is asked first: it is the cheap answer for nearly every change.
    const endsAt = optedIn(room.settings) ? endOfLatest(room) : null;
    if (!latest || endsAt === null || timeUpOf(room.settings)?.requested === latest.requested) {
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
      // Announced, replaced meanwhile, or the room opted out: done. A store that failed is tried again at the next check.
      if (stored && due.get(name) === entry) due.delete(name);
      else failed.add(name);
      fireDue(clock.now());
    });
  }

  function fireDue(now: number): void {
    for (const [name, entry] of due) {
      if (firing.size >= MAX_FIRING) return;
      if (entry.endsAt <= now && !firing.has(name) && !failed.has(name)) fire(name, entry);
    }
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
  function look(since: number, late: boolean): Promise<boolean> {
    // Only a room with settings can have opted in: the others are not read at all.
    return Promise.resolve()
      .then(() => store.runningRooms(since, true))
      .then(
        (states) => {
          for (const state of states) if (!due.has(state.name)) track(Room.from(state), late);
          return true;
        },
        (error) => {
          // A shared store that cannot answer says so itself; only the start's look is worth a line.
          if (late) logger.log("warn", "timers that ended while the server was down are not known yet; asking again", { error: String(error) });
          return false;
        },
      );
  }

  const since = clock.now() - LATE_WINDOW_MS;
  let back: "to ask" | "asking" | "done" = "to ask";
  let lookedBack: () => void;
  const backDone = new Promise<void>((resolve) => (lookedBack = resolve));
  function lookBack(): void {
    back = "asking";
    void look(since, true).then((found) => {
      back = found ? "done" : "to ask";
      if (found) lookedBack();
    });
  }
  lookBack();

  const shared = store.shareCounts !== undefined;
  let checks = 0;
  const timer = setInterval(() => {
    const now = clock.now();
    if (back === "to ask") lookBack();
    failed.clear();
    fireDue(now);
    if (shared && ++checks % CHECKS_PER_LOOK === 0) void look(now, false);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      unobserve();
    },
    lookedBack: backDone,
  };
}
