// The set of rooms and what can happen to them: rooms come into being on first use, every
// accepted change is stored before it is announced, and a room with nothing left in it is
// forgotten so that memory does not grow with every name ever visited.
import { isoTime, type Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { HttpError } from "./http.ts";
import { NO_GOAL, NO_TIMER, Room, truncateGoal, type GoalState, type TimerRequest, type TimerType } from "./room.ts";
import { sseEvent, type Hub } from "./sse.ts";
import { Stats } from "./stats.ts";
import type { EmptiedRoom, Store } from "./store.ts";

/**
 * A result now, or a promise of it when a store write has to be waited for. The memory
 * store writes at once; its changes then skip the promise layers, which cost a PUT about a
 * tenth of the server's throughput.
 */
type Later<T> = T | Promise<T>;

/** `next` of the value, now if there is one, else when the promise settles. */
function after<T, U>(value: Later<T>, next: (value: T) => U, failed?: (cause: unknown) => never): Later<U> {
  return value instanceof Promise ? value.then(next, failed) : next(value);
}

export const KEEP_ALIVE = sseEvent(
  "KEEP_ALIVE",
  JSON.stringify({ timer: null, requested: null, user: null, nextUser: null, type: null }),
);
const NO_TIMER_JSON = JSON.stringify(NO_TIMER);
/** What a listener of a room nobody has used gets: the same bytes every time. */
const EMPTY_REPLAY =
  sseEvent("INITIAL_HISTORY", "[]") +
  sseEvent("TIMER_REQUEST", NO_TIMER_JSON) +
  sseEvent("GOAL_REQUEST", JSON.stringify(NO_GOAL));

export class Rooms {
  private readonly rooms = new Map<string, Room>();
  /** The last change under way in each room that has one; see inTurn(). */
  private readonly changing = new Map<string, Promise<void>>();
  readonly stats: Stats;

  constructor(
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly store: Store,
    private readonly hub: Hub,
    /** Told how long each store write took, for the metrics. */
    private readonly timed: (operation: string, seconds: number) => void = () => {},
  ) {
    this.stats = new Stats(new Date(clock.now()).toISOString());
  }

  async restore(): Promise<void> {
    const state = await this.store.load();
    for (const stored of state.rooms) {
      const room = new Room(stored.name);
      for (const entry of stored.history) room.add(entry);
      room.goal = stored.goal;
      room.seq = stored.seq;
      this.rooms.set(room.name, room);
      this.forgetIfUnused(room.name);
    }
    if (state.stats) this.stats.restore(state.stats);
    await this.sweep();
  }

  get size(): number {
    return this.rooms.size;
  }

  has(name: string): boolean {
    return this.rooms.has(name);
  }

  find(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  private obtain(name: string): Room {
    let room = this.rooms.get(name);
    if (!room) this.rooms.set(name, (room = new Room(name)));
    return room;
  }

  /** Forgets a room with no history, no goal and no listener. */
  forgetIfUnused(name: string): void {
    const room = this.rooms.get(name);
    if (room && room.isEmpty && this.hub.listeners(name) === 0) this.rooms.delete(name);
  }

  /**
   * Runs the changes of one room one after another. A change reads the room (who is next,
   * the next seq), waits for the store, then applies what it read: a second change
   * starting during that wait must see the first one's result, not the state before it.
   * Changes of different rooms still overlap, so a store can commit them together.
   */
  private inTurn<T>(name: string, change: () => Later<T>): Later<T> {
    const previous = this.changing.get(name);
    const run = previous ? previous.then(change) : change();
    // A change the store took at once (the memory store) leaves nothing to wait for.
    if (!(run instanceof Promise)) return run;
    const settled = () => {
      if (this.changing.get(name) === done) this.changing.delete(name);
    };
    const done: Promise<void> = run.then(settled, settled);
    this.changing.set(name, done);
    return run;
  }

  startTimer(name: string, type: TimerType, minutes: number, user: string | null): Later<TimerRequest> {
    return this.inTurn(name, () => {
      const room = this.obtain(name);
      const now = this.clock.now();
      const entry = room.nextRequest(type, minutes, user, now);
      const seq = room.seq + 1;
      return this.stored(name, "saveTimer", () => this.store.saveTimer(name, entry, seq), () => {
        room.add(entry, now);
        room.seq = seq;
        this.stats.countTimer(type, minutes);
        this.hub.broadcast(name, () => sseEvent("TIMER_REQUEST", JSON.stringify(entry), seq));
        return entry;
      });
    });
  }

  setGoal(name: string, goal: string, user: string | null): Later<void> {
    return this.inTurn(name, () => {
      const state: GoalState = {
        goal: truncateGoal(goal, this.config.maxGoalLength),
        user,
        requested: isoTime(this.clock.now()),
      };
      return this.changeGoal(this.obtain(name), state, true);
    });
  }

  /** Deletes the goal; announces it only if there was one. */
  deleteGoal(name: string, user: string | null): Later<void> {
    return this.inTurn(name, () => {
      const room = this.rooms.get(name);
      if (!room || room.goal.goal === null) return;
      return after(this.changeGoal(room, { goal: null, user, requested: isoTime(this.clock.now()) }, false), () =>
        this.forgetIfUnused(name),
      );
    });
  }

  /** `counted`: whether it counts as a goal set in the statistics. */
  private changeGoal(room: Room, state: GoalState, counted: boolean): Later<void> {
    const seq = room.seq + 1;
    return this.stored(room.name, "saveGoal", () => this.store.saveGoal(room.name, state, seq, counted), () => {
      room.goal = state;
      room.seq = seq;
      if (counted) this.stats.countGoal();
      this.hub.broadcast(room.name, () => sseEvent("GOAL_REQUEST", JSON.stringify(state), seq));
    });
  }

  /**
   * Runs a store write, timed, then `apply`, which changes memory and tells listeners. When
   * the write fails nothing has changed, and the client may try again.
   */
  private stored<T>(name: string, operation: string, write: () => Later<void>, apply: () => T): Later<T> {
    const started = performance.now();
    const refuse = (cause: unknown): never => {
      this.forgetIfUnused(name);
      const error = new HttpError(503, "storage_unavailable", "The change could not be stored and was not made; try again.");
      error.cause = cause;
      throw error;
    };
    let writing: Later<void>;
    try {
      writing = write();
    } catch (cause) {
      return refuse(cause);
    }
    return after(
      writing,
      () => {
        this.timed(operation, (performance.now() - started) / 1000);
        return apply();
      },
      refuse,
    );
  }

  /** What a new listener of a room gets first: history, latest timer, goal. */
  replay(name: string): string {
    const room = this.rooms.get(name);
    if (!room) return EMPTY_REPLAY;
    const earlier = room.history.slice(0, -1);
    return (
      sseEvent("INITIAL_HISTORY", JSON.stringify(earlier)) +
      sseEvent("TIMER_REQUEST", room.latest ? JSON.stringify(room.latest) : NO_TIMER_JSON) +
      sseEvent("GOAL_REQUEST", JSON.stringify(room.goal), room.seq)
    );
  }

  runningCount(): number {
    const now = this.clock.now();
    let running = 0;
    for (const room of this.rooms.values()) if (room.isRunning(now)) running++;
    return running;
  }

  /**
   * Drops history older than the retention. A room whose history empties this way tells its
   * listeners once, with the empty timer request (the web page then resets itself).
   */
  async sweep(): Promise<void> {
    const cutoff = this.clock.now() - this.config.historyMs;
    // A room with a change under way is left for the next sweep: that change has already
    // read the room's seq and history, and would otherwise reuse the seq of the sweep.
    const expired = [...this.rooms.values()].filter((room) => !this.changing.has(room.name) && room.expire(cutoff));
    const emptied = expired.filter((room) => room.history.length === 0);
    for (const room of emptied) room.seq++;
    // The seq of the empty announcement is stored too, so that ids never go backwards. When
    // the store fails, memory has already let the entries go: listeners are told all the
    // same, and the next sweep deletes the stored rows.
    try {
      await this.store.expire(cutoff, emptied.map((room): EmptiedRoom => ({ name: room.name, seq: room.seq })));
    } finally {
      for (const room of emptied) this.hub.broadcast(room.name, () => sseEvent("TIMER_REQUEST", NO_TIMER_JSON, room.seq));
      for (const room of expired) this.forgetIfUnused(room.name);
    }
  }
}
