// Persistence behind one interface, designed for a store that several processes write:
// each change is appended under the number it expects to get, and a store that another
// writer got to first says so instead of storing. The room core decides every value; a
// store records changes, gives rooms back on demand, counts statistics and reports the
// changes every writer commits. test/store-contract.ts holds every store to this.
import type { RoomChange, RoomEvent } from "../domain/changes.ts";
import type { RoomState } from "../domain/room.ts";
import type { StatsSnapshot } from "../domain/stats.ts";
import type { StatsTally } from "../domain/rotation-count.ts";
import type { StatsRow } from "../domain/rotation-stats.ts";
import type { Later } from "../base/later.ts";

export type { RoomState };

/** Stored; or another writer was first and the room's stored number is `seq`. */
export type AppendResult = { ok: true } | { ok: false; seq: number };

/** What the other instances of a shared store count: see Store.shareCounts. */
export interface SharedCounts {
  /** Listeners on the other instances. */
  otherListeners: number;
  /** Rooms whose latest timer or break runs, on any instance. */
  running: number;
}

/** The store cannot be opened or read: the message names the place, for one line at start. */
export class StoreError extends Error {}

/**
 * A store on another machine cannot be reached for now (Redis down, a dropped connection,
 * no answer in time). It comes back by itself: the server starts and runs without it,
 * answering 503 to what needs it, and catches up when it is back (see subscribe's `missed`).
 */
export class StoreUnavailable extends Error {}

export interface Store {
  /** A short name for logs and health: "memory", "sqlite", "redis". */
  readonly kind: string;
  /** Where the data lives, for the start line: a path, "memory", or a URL without its password. */
  readonly location: string;
  /**
   * One room as stored, history oldest first. A name with nothing stored comes back with
   * no history, no goal, and a `seq` that is never lower than any number the name had
   * before, so that event ids never go back for a room name, even once it was forgotten.
   */
  readRoom(name: string): Later<RoomState>;
  /**
   * Stores `change` as change number `seq` of the room when the stored number is `seq - 1`,
   * and counts it in the statistics in the same write, with `tally` (a team's room: the
   * rotation's cursor, kept with the room, and its counts, each merged into the room's day
   * as its op says); otherwise stores nothing and answers the stored number. A timer or
   * break beyond the store's history cap drops the oldest entries, as Room.apply does.
   */
  append(name: string, change: RoomChange, seq: number, tally?: StatsTally): Later<AppendResult>;
  /**
   * The rotation's counts of the room kept for the UTC days `from` to `to`, inclusive, in no
   * particular order. Kept per room, per day and per person for ROOM_STATS_DAYS, beyond the
   * history and the room itself.
   */
  readRoomStats(name: string, from: string, to: string): Promise<StatsRow[]>;
  /** Rooms with anything stored: history, a goal, or a goal deletion not yet expired. */
  roomCount(): Promise<number>;
  /**
   * Rooms whose latest timer or break is still running at `now`, each with that entry as its
   * whole history (what counts a running room and decides its time's up is its latest entry
   * and its settings; the rest is read when something asks, whatever it holds); with `withSettings`,
   * only those with settings (a team's features), which a shared store finds without
   * reading every running room.
   */
  runningRooms(now: number, withSettings?: boolean): Promise<RoomState[]>;
  /** The statistics at `now`: per-day counts older than the days kept are left out. */
  readStats(now: number): Promise<StatsSnapshot>;
  /**
   * Names of the rooms whose whole history was requested before `cutoff`: the rooms that
   * expire() would empty, whose expiry the core first stores as a numbered change (Rooms.sweep),
   * so that a listener resuming from a number learns of it, whether or not the room was in
   * memory (or the server running) when its history aged.
   */
  emptiedRooms(cutoff: number): Promise<string[]>;
  /**
   * Forgets history requested before `cutoff` (ms since the epoch), goal deletions as old,
   * rooms left with nothing, and per-day statistics (the server's and the rooms') no longer
   * kept at `now`.
   */
  expire(cutoff: number, now: number): Promise<void>;
  /**
   * Calls `listener` with every change committed by any writer, this process included, in
   * order within each room; the commit path ignores the ones it applied already. A store
   * whose feed can lose changes (a dropped connection to a shared store) calls `missed` once
   * the feed is back: changes since may have been lost, and the subscriber reads anew what
   * it holds. Returns the unsubscribe function.
   */
  subscribe(listener: (event: RoomEvent) => void, missed?: () => void): () => void;
  // `mob-timer export` and `import` (lib/store/transfer.ts) use the next four, and readRoomStats.
  /** Names of the rooms with anything stored, in no particular order: what an export reads. */
  roomNames(): Promise<string[]>;
  /**
   * Stores `state` as the room's whole content (history oldest first, goal, number),
   * replacing what was stored under its name, without counting anything in the statistics
   * or telling subscribers: what an import writes, before any server uses the store. A
   * history beyond the store's cap keeps its newest entries.
   */
  importRoom(state: RoomState): Promise<void>;
  /** Replaces the statistics with `snapshot`: what an import writes. */
  importStats(snapshot: StatsSnapshot): Promise<void>;
  /** Replaces the room's rotation counts with `rows`: what an import writes. */
  importRoomStats(name: string, rows: StatsRow[]): Promise<void>;
  /**
   * Only in a store several instances share: records that this instance has `listeners`
   * listeners, for `ttlMs` (an instance that stops saying so drops out after it), and
   * answers the listeners every other instance last reported and the rooms whose timer
   * runs at `now`, for the counts the start page and health show.
   */
  shareCounts?(listeners: number, ttlMs: number, now: number): Promise<SharedCounts>;
  /**
   * Only in a store several instances share: takes a token from the bucket `key` of the
   * budget `bucket` (`capacity` tokens refilled over `windowMs`, see
   * lib/base/token-buckets.ts) and answers the tokens it held at `now`; one was taken when
   * that is at least 1. What a client's budgets that hold for the service are kept in.
   */
  takeToken?(bucket: string, key: string, capacity: number, windowMs: number, now: number): Promise<number>;
  /**
   * Who is here (lib/domain/presence.ts), as each instance reports it: `instance` has `names`
   * here in `room` (none: its report of the room goes), and all its reports hold until
   * `until` (ms); every subscriber of subscribeHere, on every instance, hears of the room.
   * Reports of instances whose `until` has passed at `now` are dropped.
   */
  reportHere(instance: string, room: string, names: readonly string[], until: number, now: number): Promise<void>;
  /**
   * The heartbeat of `instance`: its reports hold until `until`. An instance that stops
   * renewing takes its names with it. False when its reports had been dropped already (it
   * was taken for gone): it reports its rooms again.
   */
  renewHere(instance: string, until: number, now: number): Promise<boolean>;
  /** The names in `room` of every report that holds at `now`: each once, sorted. */
  readHere(room: string, now: number): Promise<string[]>;
  /** Calls `changed` with the room of every report made, by any instance; returns the unsubscribe function. */
  subscribeHere(changed: (room: string) => void): () => void;
  /** Resolves when a write reaches the store's medium; throws saying why not. For health. */
  check(): Promise<void>;
  close(): Promise<void>;
}
