// Persistence behind one small interface. The room logic keeps its state in memory and
// writes every accepted change through a Store before the change is acknowledged; a Store
// gives that state back at start. MemoryStore keeps nothing: the original's
// forget-on-restart behaviour.
import type { GoalState, TimerRequest } from "./room.ts";
import type { StatsSnapshot } from "./stats.ts";

export interface StoredRoom {
  name: string;
  history: TimerRequest[];
  goal: GoalState;
  seq: number;
}

export interface StoredState {
  rooms: StoredRoom[];
  stats: StatsSnapshot | null;
}

export interface Store {
  /** A short name for logs and health: "memory", "sqlite". */
  readonly kind: string;
  load(): Promise<StoredState>;
  /** Adds a timer to a room's history and counts it in the statistics. */
  saveTimer(room: string, entry: TimerRequest, seq: number): Promise<void>;
  /** Replaces a room's goal; `counted` says whether it counts as a goal set in the statistics. */
  saveGoal(room: string, goal: GoalState, seq: number, counted: boolean): Promise<void>;
  /** Forgets history requested before `cutoff` (ms since the epoch). */
  expire(cutoff: number): Promise<void>;
  close(): Promise<void>;
}

export class MemoryStore implements Store {
  readonly kind = "memory";
  async load(): Promise<StoredState> {
    return { rooms: [], stats: null };
  }
  async saveTimer(): Promise<void> {}
  async saveGoal(): Promise<void> {}
  async expire(): Promise<void> {}
  async close(): Promise<void> {}
}
