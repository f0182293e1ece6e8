// Who is here, kept for every team room this instance has listeners of: the names its
// listeners gave (`?user=`), lingering LINGER_MS after their last connection ends, reported
// to the store beside every other instance's (with a heartbeat, so that an instance that
// dies takes its people with it), and announced to the room's listeners whenever the
// whole service's list changes. Rooms that did not opt in are not tracked: the fan-out tells
// this job of a room's first listener, and a connection's name costs them one lookup.
import type { Clock } from "../base/clock.ts";
import type { Logger } from "../base/log.ts";
import { LocalPresence } from "../domain/presence.ts";
import type { Rooms } from "../domain/rooms.ts";
import { optedIn } from "../domain/team.ts";
import type { Fanout } from "../live/fanout.ts";
import type { Store } from "../store/store.ts";

/** A report outlives this many intervals: one late heartbeat does not make an instance's people blink out. */
export const REPORT_INTERVALS = 3;

/** Checks for names whose linger ran out, per interval: a second apart at the default 10 s. */
export const TICKS_PER_INTERVAL = 10;

export interface PresenceJob {
  stop(): void;
  /** A client holding no connection (a long-poll between waits) said who it is: here now, and lingering after. */
  touch(room: string, user: string): void;
  /** Who is here in `room` on every instance; what this instance knows when the store cannot say. */
  hereIn(room: string): Promise<readonly string[]>;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

export function presenceJob(rooms: Rooms, fanout: Fanout, store: Store, clock: Clock, logger: Logger, intervalMs: number): PresenceJob {
  const instance = crypto.randomUUID();
  const local = new LocalPresence();
  /** The latest read of each room's names under way: an older one that answers late is not announced. */
  const reads = new Map<string, number>();
  let lastRead = 0;
  /** Rooms whose latest report failed (the store unreachable): made again with the next heartbeat. */
  const unreported = new Set<string>();

  const isTeamRoom = (room: string) => optedIn(rooms.find(room)?.settings ?? null);

  function report(room: string): Promise<void> {
    const now = clock.now();
    return store.reportHere(instance, room, local.names(room), now + intervalMs * REPORT_INTERVALS, now).then(
      () => void unreported.delete(room),
      (error: unknown) => {
        // One line while the store is away, however many reports fail meanwhile.
        if (unreported.size === 0) logger.log("warn", "who is here could not be reported; trying again with each heartbeat", { room, error: String(error) });
        unreported.add(room);
      },
    );
  }

  /** Reads the room's names as every instance reports them, and tells its listeners when they changed. */
  function refresh(room: string): void {
    if (fanout.listeners(room) === 0 || !local.isTracked(room)) return;
    const read = ++lastRead;
    reads.set(room, read);
    store.readHere(room, clock.now()).then(
      (names) => {
        if (reads.get(room) !== read) return;
        reads.delete(room);
        if (local.isTracked(room) && !sameNames(names, fanout.hereIn(room))) fanout.announceHere(room, names);
      },
      () => reads.delete(room),
    );
  }

  /** Starts tracking a team room with the names of its listeners now. */
  function track(room: string): void {
    local.track(room, fanout.usersOf(room));
    if (local.names(room).length > 0) void report(room);
    refresh(room);
  }

  function forget(room: string): void {
    const hadNames = local.names(room).length > 0;
    local.forget(room);
    fanout.forgetHere(room);
    if (hadNames) void report(room);
  }

  const unwatch = fanout.watchListeners({
    followed: (room) => {
      if (local.isTracked(room)) {
        // Lingering names are still here: the room's listeners are counted in again.
        for (const user of fanout.usersOf(room)) if (local.arrive(room, user)) void report(room);
        refresh(room);
      } else if (isTeamRoom(room)) track(room);
    },
    arrived: (room, user) => {
      if (local.arrive(room, user)) void report(room);
    },
    left: (room, user) => local.leave(room, user, clock.now()),
  });

  // A room that opts in starts with its listeners' names; one that opts out is forgotten.
  const unobserve = rooms.observe({
    changed: (event, room) => {
      if (event.change.kind !== "settings") return;
      const team = optedIn(room.settings);
      if (team && !local.isTracked(room.name) && fanout.listeners(room.name) > 0) track(room.name);
      else if (!team && local.isTracked(room.name)) forget(room.name);
    },
  });

  const unsubscribe = store.subscribeHere(refresh);

  /**
   * The heartbeat: this instance's reports kept alive (made again if the store had dropped
   * them), and every followed room read again, so that an instance that died is seen gone.
   */
  function beat(): void {
    const reporting = [...local.tracked].filter((room) => local.names(room).length > 0);
    const renewed = Promise.all([reporting.length === 0 ? undefined : renew(reporting), ...[...unreported].map(report)]);
    // Read once this instance's own reports hold again, so that its own people never blink out.
    void renewed.then(() => {
      for (const room of local.tracked) refresh(room);
    });
  }

  function renew(reporting: string[]): Promise<unknown> {
    const now = clock.now();
    return store.renewHere(instance, now + intervalMs * REPORT_INTERVALS, now).then(
      (kept) => (kept ? undefined : Promise.all(reporting.map(report))),
      () => {},
    );
  }

  // The clock is read only when there is something to do: an idle server's jobs stay countable by their reads.
  let ticks = 0;
  const timer = setInterval(() => {
    if (local.lingering) for (const room of local.expire(clock.now())) void report(room);
    // A room nobody follows any more, with nobody lingering, is let go.
    for (const room of [...local.tracked]) if (fanout.listeners(room) === 0 && local.names(room).length === 0) local.forget(room);
    if (++ticks % TICKS_PER_INTERVAL === 0) beat();
  }, intervalMs / TICKS_PER_INTERVAL);

  return {
    stop() {
      clearInterval(timer);
      unwatch();
      unobserve();
      unsubscribe();
    },
    touch(room, user) {
      if (!local.isTracked(room)) {
        if (!isTeamRoom(room)) return;
        track(room);
      }
      const changed = local.arrive(room, user);
      local.leave(room, user, clock.now());
      if (changed) void report(room);
    },
    async hereIn(room) {
      try {
        return await store.readHere(room, clock.now());
      } catch {
        return fanout.hereIn(room);
      }
    },
  };
}
