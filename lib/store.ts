// Persistence behind one small interface. The room logic keeps its state in memory and
// writes every accepted change through a Store before the change is acknowledged or
// announced; a Store gives that state back at start. MemoryStore keeps nothing: the
// original's forget-on-restart behaviour.
//
// The room logic decides every value (entries, goals, sequence numbers) and the Store only
// records them, so another backend (Redis for several instances) plugs in here without
// touching rooms.ts or the HTTP layer. `seq` is passed with every write so that such a
// backend can refuse a write whose seq is not the next one it holds.
import type { GoalState, TimerRequest } from "./room.ts";
import type { StatsSnapshot } from "./stats.ts";

export interface StoredRoom {
  name: string;
  /** Oldest first. */
  history: TimerRequest[];
  goal: GoalState;
  /** Sequence number of the room's latest event. */
  seq: number;
}

export interface StoredState {
  rooms: StoredRoom[];
  /** Null when the store keeps no statistics: counting starts now. */
  stats: StatsSnapshot | null;
}

/** A room whose history the sweep emptied, and the seq of the event that announced it. */
export interface EmptiedRoom {
  name: string;
  seq: number;
}

/** The store cannot be opened or read: the message names the place, for one line at start. */
export class StoreError extends Error {}

export interface Store {
  /** A short name for logs and health: "memory", "sqlite". */
  readonly kind: string;
  /** Where the data lives, for the start line: a path, or "memory". */
  readonly location: string;
  load(): Promise<StoredState>;
  /**
   * Adds a timer to a room's history and counts it in the statistics. A store that has
   * written when it returns may return nothing; the change then completes without waiting.
   */
  saveTimer(room: string, entry: TimerRequest, seq: number): Promise<void> | void;
  /** Replaces a room's goal; `counted` says whether it counts as a goal set in the statistics. */
  saveGoal(room: string, goal: GoalState, seq: number, counted: boolean): Promise<void> | void;
  /**
   * Forgets history requested before `cutoff` (ms since the epoch) and rooms left with
   * neither history nor goal; records the seq of rooms the sweep emptied.
   */
  expire(cutoff: number, emptied: readonly EmptiedRoom[]): Promise<void>;
  /** Resolves when the store can take writes; throws saying why not. For health checks. */
  check(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryStore implements Store {
  readonly kind = "memory";
  readonly location = "memory";
  async load(): Promise<StoredState> {
    return { rooms: [], stats: null };
  }
  saveTimer(): void {}
  saveGoal(): void {}
  async expire(): Promise<void> {}
  async check(): Promise<void> {}
  async close(): Promise<void> {}
}
