// The room core: the one path by which a room changes. A change is decided from the room's
// state, numbered, stored, applied and announced, in that order, one change of a room at a
// time; rooms are read from the store on demand and kept in memory only while somebody
// needs them (a listener, a running timer, a change under way).
import type { Clock } from "../base/clock.ts";
import { after, type Later } from "../base/later.ts";
import type { Store } from "../store/store.ts";
import type { RoomChange, RoomCommand, RoomEvent } from "./changes.ts";
import { DOMAIN_ERRORS, DomainError, type DomainRefusal } from "./errors.ts";
import { Room } from "./room.ts";
import { skipsAbsent } from "./presence.ts";
import type { Rules } from "./rules.ts";
import type { StatsSnapshot } from "./stats.ts";
import { tally, type StatsTally } from "./rotation-count.ts";
import { firstDay, rotationReport, type RotationReport } from "./rotation-stats.ts";
import { optedIn, rosterOf } from "./team.ts";

export interface CoreRules extends Rules {
  /** Rooms the store may hold at once; a new room beyond is refused. */
  maxRooms: number;
  /** Whether a team's rotation is counted per person (ROOM_STATS); off, every turn counts as "someone". */
  roomStats: boolean;
  /** UTC days a team's rotation counts are kept (ROOM_STATS_DAYS). */
  roomStatsDays: number;
}

/**
 * Whoever asks for a change that would create a room (a client, through the HTTP layer's
 * visitor): asked once the room is found empty at commit and the server has room for it.
 */
export interface RoomCreator {
  /** Resolves when one more room may be created now; rejects with DomainError when not. */
  createRoom(now: number): Promise<void>;
}

/** Who is told of what happens to rooms: the fan-out, and anything else that listens, each to what it needs. */
export interface RoomObserver {
  /** `event` was applied to `room`. */
  changed?(event: RoomEvent, room: Room): void;
  /** `room` was read anew from the store after changes were missed; what listeners hold is stale. */
  reset?(room: Room): void;
  /**
   * This process stored `event`: called once per change, in the one process that stored it
   * whichever instance's listeners hear of it, so that what must happen once per change
   * (word sent out to a team) happens once with several instances.
   */
  committed?(event: RoomEvent): void;
}

/**
 * Decides a room's next change from its state at `now`, or null for none; throws DomainError
 * to refuse. `here` is who is here, read for a roster that passes over who is not (null in
 * every other room, which reads nothing more).
 */
export type Decide = (room: Room, now: number, here?: readonly string[] | null) => RoomChange | null;

/**
 * How long a change whose number another writer took first is decided again before it is
 * refused. Under a burst of changes to one room on several instances, the instance that has
 * just committed keeps winning until its queue is done (it decides from its own fresh copy,
 * while the others must read the room first): a change may lose once for every change
 * queued elsewhere, so a number of tries would refuse changes that a moment later succeed.
 */
const RETRY_MS = 5000;

/** A failure of the store, as the core reports it: nothing changed, and trying again may work. */
function storageUnavailable(refusal: DomainRefusal<string>): (cause: unknown) => never {
  return (cause) => {
    throw refusal.with({}, { cause });
  };
}

export class Rooms {
  private readonly cache = new Map<string, Room>();
  /**
   * Rooms in memory with only their latest entry, as the start's look brought them in (what
   * decides a running room's counts and its time's up): the first read, listener or change
   * reads the whole room.
   */
  private readonly partial = new Set<string>();
  private readonly loading = new Map<string, Promise<Room>>();
  /** Holders of each room (listeners of any transport); a held room stays in memory. */
  private readonly holds = new Map<string, number>();
  /** The last change under way in each room that has one; see inTurn(). */
  private readonly changing = new Map<string, Promise<unknown>>();
  private readonly observers = new Set<RoomObserver>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly rules: CoreRules,
    private readonly clock: Clock,
    private readonly store: Store,
    /** Told how long each store write took, for the metrics. */
    private readonly timed: (kind: RoomChange["kind"], seconds: number) => void = () => {},
  ) {
    this.unsubscribe = store.subscribe(
      (event) => this.advance(event),
      () => void this.resync(),
    );
  }

  observe(observer: RoomObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /**
   * Brings the rooms whose timers run into memory, so that counts and time's-up know them:
   * with only their latest entry, as the store gives them, until something asks.
   */
  async restore(): Promise<void> {
    for (const state of await this.store.runningRooms(this.clock.now())) {
      if (this.cache.has(state.name)) continue;
      this.cache.set(state.name, Room.from(state));
      this.partial.add(state.name);
    }
  }

  /**
   * Catches up after the store's feed may have lost changes (its connection dropped and came
   * back, or the store was unreachable at start): rooms whose timers run are brought in, and
   * every room in memory is read anew; listeners of a room that changed meanwhile start over.
   * A store that fails again meanwhile asks for this again once it is back.
   */
  resync(): Promise<void> {
    const rereads = [...this.cache.keys()].map((name) => Promise.resolve().then(() => this.reread(name)));
    return Promise.allSettled([this.restore(), ...rereads]).then(() => {});
  }

  /** The room as held in memory, if it is. */
  find(name: string): Room | undefined {
    return this.cache.get(name);
  }

  /** Rooms held in memory. */
  get cached(): number {
    return this.cache.size;
  }

  /** The room, from memory or read from the store. */
  load(name: string): Later<Room> {
    const cached = this.cache.get(name);
    if (cached && !this.partial.has(name)) return cached;
    const loading = this.loading.get(name);
    if (loading) return loading;
    const read = after(this.store.readRoom(name), (state) => {
      this.loading.delete(name);
      // A change committed meanwhile put the room in memory already; that copy is newer.
      // A room with only its latest entry gives way to the whole one, unless it moved on.
      const held = this.cache.get(name);
      if (held && this.partial.has(name) && state.seq < held.seq) return this.load(name);
      const room = held && !this.partial.has(name) ? held : this.fresh(Room.from(state));
      this.partial.delete(name);
      this.cache.set(name, room);
      this.evictIfUnneeded(name);
      return room;
    }, (error) => {
      this.loading.delete(name);
      return storageUnavailable(DOMAIN_ERRORS.roomUnreadable)(error);
    });
    if (read instanceof Promise) this.loading.set(name, read);
    return read;
  }

  /** Keeps the room in memory until release(); the holder then sees every change. */
  hold(name: string): void {
    this.holds.set(name, (this.holds.get(name) ?? 0) + 1);
  }

  release(name: string): void {
    const left = (this.holds.get(name) ?? 1) - 1;
    if (left > 0) this.holds.set(name, left);
    else {
      this.holds.delete(name);
      this.evictIfUnneeded(name);
    }
  }

  /** Whether anything is stored for the room. */
  async has(name: string): Promise<boolean> {
    return !(await this.load(name)).isEmpty;
  }

  /** Rooms with anything stored. */
  async count(): Promise<number> {
    return this.store.roomCount();
  }

  stats(): Promise<StatsSnapshot> {
    return this.store.readStats(this.clock.now()).catch(storageUnavailable(DOMAIN_ERRORS.statsUnreadable));
  }

  /**
   * The team's rotation over the last `days` UTC days (today's included); null for a room
   * that never opted in and has nothing counted.
   */
  async rotation(name: string, days: number): Promise<RotationReport | null> {
    const room = await this.load(name);
    const now = this.clock.now();
    const [from, to] = [firstDay(now, days), firstDay(now, 1)];
    const rows = await this.store.readRoomStats(name, from, to).catch(storageUnavailable(DOMAIN_ERRORS.statsUnreadable));
    if (rows.length === 0 && room.statsCursor === null && !optedIn(room.settings)) return null;
    return rotationReport(name, from, to, rows);
  }

  /** Rooms whose latest timer or break still runs; every such room is in memory. */
  runningCount(): number {
    const now = this.clock.now();
    let running = 0;
    for (const room of this.cache.values()) if (room.isRunning(now)) running++;
    return running;
  }

  /**
   * Makes the change `command` asks for, on behalf of `creator` (the client, for the limit
   * on new rooms; none for the server's own changes). Resolves with the committed event, or null when nothing changed; throws
   * DomainError when the command is refused or could not be stored.
   */
  commit(name: string, command: RoomCommand, creator?: RoomCreator): Later<RoomEvent | null> {
    return this.commitDecided(name, (room, now, here) => room.decide(command, now, this.rules, here), creator);
  }

  /**
   * Like commit(), with the change decided by `decide` from the room's state at the time:
   * the path of what a team opts into (roster, time's up, keys), whose rules live beside
   * their feature. `decide` runs again when another writer changed the room first.
   */
  commitDecided(name: string, decide: Decide, creator?: RoomCreator): Later<RoomEvent | null> {
    return this.inTurn(name, () => this.attempt(name, decide, creator, performance.now() + RETRY_MS));
  }

  /** Decides and stores the change; `until` (performance.now()) ends the tries after conflicts. */
  private attempt(name: string, decide: Decide, creator: RoomCreator | undefined, until: number): Later<RoomEvent | null> {
    return after(this.load(name), (room) => {
      if (!skipsAbsent(rosterOf(room.settings))) return this.decideAndAppend(room, null, decide, creator, until);
      // Who is here is the whole service's: read from the store, as every instance reports it.
      // A store that cannot say decides as if the rule were off.
      const here = this.store.readHere(name, this.clock.now()).catch(() => null);
      return here.then((names) => this.decideAndAppend(room, names, decide, creator, until));
    });
  }

  /** Decides the change from the room as it is now, and stores it under the room's next number. */
  private decideAndAppend(room: Room, here: readonly string[] | null, decide: Decide, creator: RoomCreator | undefined, until: number): Later<RoomEvent | null> {
    const now = this.clock.now();
    const change = decide(room, now, here);
    if (change === null) return null;
    // Numbered now, from the state it was decided on: the feed may bring another writer's
    // change while a new room is admitted, and this one must then lose the number, not
    // overwrite it (two claims of one new room on two instances both answered 201).
    const seq = room.seq + 1;
    // Counted here, by the one writer whose append takes the number: once, whatever the instances.
    const counted = tally(room.statsCursor, room.settings, change, this.rules.roomStats);
    const append = () => this.append(room.name, seq, change, counted, decide, creator, until);
    return room.isEmpty ? after(this.admit(creator, now), append) : append();
  }

  /** A room with nothing stored becomes a new one: within the server's and the client's limits. */
  private async admit(creator: RoomCreator | undefined, now: number): Promise<void> {
    const refuse = storageUnavailable(DOMAIN_ERRORS.notStored);
    const count = await this.store.roomCount().catch(refuse);
    if (count >= this.rules.maxRooms) throw DOMAIN_ERRORS.roomsFull.with({ max: this.rules.maxRooms });
    if (creator === undefined) return;
    // The client's budget may be kept in the shared store, which can fail like any store.
    await creator.createRoom(now).catch((cause) => {
      if (cause instanceof DomainError) throw cause;
      return refuse(cause);
    });
  }

  private append(
    name: string,
    seq: number,
    change: RoomChange,
    counted: StatsTally | null,
    decide: Decide,
    creator: RoomCreator | undefined,
    until: number,
  ): Later<RoomEvent | null> {
    const started = performance.now();
    const refuse = storageUnavailable(DOMAIN_ERRORS.notStored);
    let appending;
    try {
      appending = this.store.append(name, change, seq, counted ?? undefined);
    } catch (cause) {
      return refuse(cause);
    }
    return after(appending, (result) => {
      this.timed(change.kind, (performance.now() - started) / 1000);
      if (!result.ok) {
        // Another writer took this number: catch up and decide again. When the store's feed
        // has brought that change already, the copy in memory is up to date; reading the
        // room anew instead could find later changes the feed has yet to bring, and make
        // every listener start over.
        if (performance.now() >= until) refuse(new Error(`room ${name} kept changing for ${RETRY_MS} ms`));
        const caughtUp = (this.cache.get(name)?.seq ?? -1) >= result.seq;
        return after(caughtUp ? undefined : this.reread(name), () => this.attempt(name, decide, creator, until));
      }
      const event: RoomEvent = { room: name, seq, change };
      this.advance(event, counted);
      for (const observer of this.observers) observer.committed?.(event);
      return event;
    }, refuse);
  }

  /**
   * Applies a committed change to the room in memory and announces it, once, whichever way
   * it arrives (this process's commit, or the store's feed of every writer's). A number
   * beyond the next one means changes were missed: the room is read anew.
   */
  private advance(event: RoomEvent, counted?: StatsTally | null): void {
    const room = this.cache.get(event.room);
    if (!room || event.seq <= room.seq) return;
    if (event.seq > room.seq + 1) {
      void this.reread(event.room);
      return;
    }
    room.apply(event.change, event.seq, this.rules.maxHistory, counted);
    for (const observer of this.observers) observer.changed?.(event, room);
  }

  /** Replaces the room in memory with the store's; holders are told to start over. */
  private reread(name: string): Later<void> {
    return after(this.store.readRoom(name), (state) => {
      const stale = this.cache.get(name);
      if (stale && state.seq <= stale.seq) return;
      const room = this.fresh(Room.from(state));
      this.partial.delete(name);
      this.cache.set(name, room);
      if (stale) for (const observer of this.observers) observer.reset?.(room);
    });
  }

  /**
   * A room read from the store, without the history the retention has let go; a history
   * that aged whole stays until the sweep numbers its expiry, as it does in memory.
   */
  private fresh(room: Room): Room {
    const cutoff = this.clock.now() - this.rules.historyMs;
    if (!room.emptiedBy(cutoff)) room.trim(cutoff);
    return room;
  }

  /**
   * Runs the changes of one room one after another: a change reads the room (who is next,
   * the next number), waits for the store, then applies; a second change starting during
   * that wait must see the first one's result. Changes of different rooms still overlap,
   * so a store can commit them together.
   */
  private inTurn<T>(name: string, change: () => Later<T>): Later<T> {
    const previous = this.changing.get(name);
    const run = previous ? previous.then(change, change) : change();
    // A change the store took at once (the memory store) leaves nothing to wait for.
    if (!(run instanceof Promise)) {
      this.evictIfUnneeded(name);
      return run;
    }
    const settled = () => {
      if (this.changing.get(name) !== done) return;
      this.changing.delete(name);
      this.evictIfUnneeded(name);
    };
    const done = run.then(settled, settled);
    this.changing.set(name, done);
    return run;
  }

  /** Lets a room go from memory when nobody holds it, nothing changes it and no timer runs. */
  private evictIfUnneeded(name: string): void {
    const room = this.cache.get(name);
    if (!room || this.holds.has(name) || this.changing.has(name) || this.loading.has(name)) return;
    if (room.isRunning(this.clock.now())) return;
    this.cache.delete(name);
    this.partial.delete(name);
  }

  /**
   * Lets history older than the retention go. A room whose history empties this way is a
   * numbered change, so that its listeners get the empty timer request once and a client
   * resuming from a number learns of it: whether the room is in memory or only stored (its
   * history aged while nobody needed it, or while the server was stopped). The rest is
   * trimmed in memory and in the store without a word.
   */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    const cutoff = now - this.rules.historyMs;
    const expire = (room: Room): RoomChange | null => (room.emptiedBy(cutoff) ? { kind: "history-expired", cutoff } : null);
    const emptied = new Set<string>();
    for (const room of this.cache.values()) {
      if (room.emptiedBy(cutoff)) emptied.add(room.name);
      else if (!this.changing.has(room.name)) room.trim(cutoff);
    }
    for (const name of await this.store.emptiedRooms(cutoff)) emptied.add(name);
    const emptying: Promise<unknown>[] = [];
    let failure: unknown;
    for (const name of emptied) {
      try {
        emptying.push(Promise.resolve(this.inTurn(name, () => this.attempt(name, expire, undefined, performance.now() + RETRY_MS))));
      } catch (error) {
        failure ??= error;
      }
    }
    // Every room is tried, and the stored history trimmed, even when one room fails.
    for (const result of await Promise.allSettled(emptying)) if (result.status === "rejected") failure ??= result.reason;
    await this.store.expire(cutoff, now);
    for (const name of [...this.cache.keys()]) this.evictIfUnneeded(name);
    if (failure !== undefined) throw failure;
  }

  close(): void {
    this.unsubscribe();
    this.observers.clear();
  }
}
