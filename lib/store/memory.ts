// A store in this process's memory: nothing survives a restart (the original's behaviour,
// and `--in-memory`). Several apps in one process may share one, like instances sharing a
// database, which is how the core's conflict and feed paths are tested without one.
import { systemClock, type Clock } from "../base/clock.ts";
import type { RoomChange, RoomEvent } from "../domain/changes.ts";
import { Room, type RoomState } from "../domain/room.ts";
import { StatsCounter, statsCount, type StatsSnapshot } from "../domain/stats.ts";
import { RoomStatsCounter } from "../domain/room-stats-counter.ts";
import type { StatsTally } from "../domain/rotation-count.ts";
import type { StatsRow } from "../domain/rotation-stats.ts";
import type { Later } from "../base/later.ts";
import { HereBoard } from "./here-board.ts";
import type { AppendResult, Store } from "./store.ts";

export class MemoryStore implements Store {
  readonly kind = "memory";
  readonly location = "memory";
  private readonly rooms = new Map<string, Room>();
  private readonly listeners = new Set<(event: RoomEvent) => void>();
  /** Who is here: in this process, as the server's other state of connections is. */
  private readonly here = new HereBoard();
  readonly reportHere = this.here.reportHere;
  readonly renewHere = this.here.renewHere;
  readonly readHere = this.here.readHere;
  readonly subscribeHere = this.here.subscribeHere;
  private stats: StatsCounter;
  private readonly roomStats: RoomStatsCounter;
  /**
   * The highest number a forgotten room had: where a name with nothing stored goes on from,
   * so that ids never go back for a name, without remembering every name ever used.
   */
  private floor = 0;

  constructor(
    clock: Clock = systemClock,
    /** Entries a room's history keeps at most (HISTORY_MAX_ENTRIES). */
    private readonly maxHistory = Number.POSITIVE_INFINITY,
    /** Days a room's rotation counts are kept (ROOM_STATS_DAYS). */
    roomStatsDays = 30,
  ) {
    this.stats = new StatsCounter(new Date(clock.now()).toISOString());
    this.roomStats = new RoomStatsCounter(roomStatsDays);
  }

  readRoom(name: string): RoomState {
    const room = this.rooms.get(name);
    if (!room) return { name, history: [], goal: { goal: null, user: null, requested: null }, seq: this.floor, settings: null };
    const state: RoomState = { name, history: [...room.history], goal: room.goal, seq: room.seq, settings: room.settings };
    if (room.statsCursor) state.statsCursor = room.statsCursor;
    return state;
  }

  // Declared as Later so that a test may put a slow or failing store in its place.
  append(name: string, change: RoomChange, seq: number, tally?: StatsTally): Later<AppendResult> {
    const room = this.rooms.get(name) ?? new Room(name);
    const stored = this.rooms.has(name) ? room.seq : this.floor;
    if (seq !== stored + 1) return { ok: false, seq: stored };
    // The one writer counted the change before appending it: without a tally it counts nothing.
    room.apply(change, seq, this.maxHistory, tally ?? null);
    if (tally) {
      this.roomStats.add(name, tally.counts);
      for (const person of tally.forget ?? []) this.roomStats.forget(name, person);
    }
    this.rooms.set(name, room);
    if (room.isEmpty) this.forget(room);
    const count = statsCount(change);
    if (count) this.stats.add(count);
    const event: RoomEvent = { room: name, seq, change };
    for (const listener of this.listeners) listener(event);
    return { ok: true };
  }

  async roomNames(): Promise<string[]> {
    return [...this.rooms.keys()];
  }

  async importRoom(state: RoomState): Promise<void> {
    const room = Room.from({ ...state, history: state.history.slice(-this.maxHistory) });
    this.rooms.set(room.name, room);
    if (room.isEmpty) this.forget(room);
  }

  async importStats(snapshot: StatsSnapshot): Promise<void> {
    this.stats = StatsCounter.from(snapshot);
  }

  async importRoomStats(name: string, rows: StatsRow[]): Promise<void> {
    this.roomStats.replace(name, rows);
  }

  async readRoomStats(name: string, from: string, to: string): Promise<StatsRow[]> {
    return this.roomStats.rows(name, from, to);
  }

  async roomCount(): Promise<number> {
    return this.rooms.size;
  }

  async runningRooms(now: number, withSettings = false): Promise<RoomState[]> {
    return [...this.rooms.values()]
      .filter((room) => room.isRunning(now) && (!withSettings || room.settings !== null))
      .map((room) => {
        const state = this.readRoom(room.name);
        return { ...state, history: state.history.slice(-1) };
      });
  }

  async readStats(now: number): Promise<StatsSnapshot> {
    this.stats.prune(now);
    return this.stats.snapshot();
  }

  async emptiedRooms(cutoff: number): Promise<string[]> {
    return [...this.rooms.values()].filter((room) => room.emptiedBy(cutoff)).map((room) => room.name);
  }

  async expire(cutoff: number, now: number): Promise<void> {
    for (const room of this.rooms.values()) {
      room.trim(cutoff);
      if (room.isEmpty) this.forget(room);
    }
    this.stats.prune(now);
    this.roomStats.prune(now);
  }

  private forget(room: Room): void {
    this.rooms.delete(room.name);
    this.floor = Math.max(this.floor, room.seq);
  }

  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
