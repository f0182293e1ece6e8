// Room events to every listener of the room, whatever its transport: an event stream, a
// WebSocket or a long-poll waiter. The fan-out holds each room in memory while
// it has listeners, counts them all, and sends heartbeats in slices so that writing to
// thousands of listeners never stalls the server.
import type { RoomEvent } from "../domain/changes.ts";
import type { Room } from "../domain/room.ts";
import type { RoomObserver, Rooms } from "../domain/rooms.ts";
import { NO_ONE } from "./wire.ts";

/** One listener of one room; each transport encodes what it is given in its own wire format. */
export interface Listener {
  /** Who the client said it is (`?user=`), or null: who is here in a team's room is kept from these. */
  readonly user: string | null;
  /** Who is here in the listener's team room changed: `here`, sorted (never in a room that did not opt in). */
  here(here: readonly string[]): void;
  /** A committed change, applied to `room` already. */
  deliver(event: RoomEvent, room: Room): void;
  /** What the listener holds is stale (changes were missed): it must start over. */
  reset(room: Room): void;
  /** Keeps an idle connection open through proxies; also how a dead one is found. */
  heartbeat(): void;
  /** Ends the listener; `reconnect` asks the client to come back soon. */
  close(reconnect: boolean): void;
}

/**
 * Told when a room gets its first listener, and of each listener that comes or goes saying
 * who it is, so that who is here is kept (lib/jobs/presence.ts): a room that did not opt in
 * costs a connection this call and one lookup.
 */
export interface ListenerWatch {
  /** `room` has its first listener (already counted in usersOf). */
  followed(room: string): void;
  /** A listener of `user` joined a room followed already. */
  arrived(room: string, user: string): void;
  /** A listener of `user` left. */
  left(room: string, user: string): void;
}

/**
 * The longest the event loop is kept from serving requests while heartbeats go out. A change
 * through the database worker waits for the loop three times (its request, the message to
 * the worker, the answer), each time possibly behind a slice: with 10,000 listeners held,
 * its longest wait was 30 ms with 8 ms slices and 19 ms with 2 ms ones.
 */
const SLICE_MS = 2;
/** Listeners written between looks at the clock. */
const LISTENERS_PER_CLOCK_READ = 100;

export class Fanout implements RoomObserver {
  private readonly byRoom = new Map<string, Set<Listener>>();
  /** Every listener in one of `groupCount` groups, in turn, for heartbeats; see heartbeat(). */
  private readonly groups: Set<Listener>[];
  private nextGroup = 0;
  private count = 0;
  private watch: ListenerWatch | null = null;
  /** Who is here in each team room with listeners, as last announced: what a new listener is told first. */
  private readonly hereByRoom = new Map<string, readonly string[]>();
  private readonly stopObserving: () => void;

  constructor(
    private readonly rooms: Rooms,
    readonly groupCount = 1,
  ) {
    this.groups = Array.from({ length: groupCount }, () => new Set<Listener>());
    this.stopObserving = rooms.observe(this);
  }

  /** Listeners of every room and transport: ACTIVE_USERS_UPDATE, limits, health. */
  get size(): number {
    return this.count;
  }

  listeners(room: string): number {
    return this.byRoom.get(room)?.size ?? 0;
  }

  /**
   * Adds a listener of `room`, which must be in memory (Rooms.load); call it in the same
   * turn as sending the listener the room's state, so that no change falls in between.
   * Returns the function that removes it, once.
   */
  join(room: string, listener: Listener): () => void {
    let members = this.byRoom.get(room);
    const first = !members;
    if (!members) {
      this.byRoom.set(room, (members = new Set()));
      this.rooms.hold(room);
    }
    const group = this.groups[this.nextGroup++ % this.groupCount]!;
    members.add(listener);
    group.add(listener);
    this.count++;
    if (first) this.watch?.followed(room);
    else if (listener.user !== null) this.watch?.arrived(room, listener.user);
    const set = members;
    let joined = true;
    return () => {
      if (!joined) return;
      joined = false;
      set.delete(listener);
      group.delete(listener);
      this.count--;
      if (listener.user !== null) this.watch?.left(room, listener.user);
      if (set.size === 0 && this.byRoom.get(room) === set) {
        this.byRoom.delete(room);
        this.hereByRoom.delete(room);
        this.rooms.release(room);
      }
    };
  }

  /** Tells `watch` of rooms followed and of listeners that say who they are; one watch at a time. */
  watchListeners(watch: ListenerWatch): () => void {
    this.watch = watch;
    return () => {
      if (this.watch === watch) this.watch = null;
    };
  }

  /** The users of the listeners of `room`, once per listener. */
  usersOf(room: string): string[] {
    const users: string[] = [];
    for (const listener of this.byRoom.get(room) ?? []) if (listener.user !== null) users.push(listener.user);
    return users;
  }

  /** Who is here in `room`, as last announced to its listeners (none before). */
  hereIn(room: string): readonly string[] {
    return this.hereByRoom.get(room) ?? NO_ONE;
  }

  /** The room opted out of team features: its new listeners hear nothing of who is here. */
  forgetHere(room: string): void {
    this.hereByRoom.delete(room);
  }

  /** Tells every listener of the team room `room` who is here now. */
  announceHere(room: string, here: readonly string[]): void {
    const members = this.byRoom.get(room);
    if (!members) return;
    this.hereByRoom.set(room, here);
    for (const listener of members) listener.here(here);
  }

  changed(event: RoomEvent, room: Room): void {
    const members = this.byRoom.get(event.room);
    if (members) for (const listener of members) listener.deliver(event, room);
  }

  reset(room: Room): void {
    const members = this.byRoom.get(room.name);
    if (members) for (const listener of [...members]) listener.reset(room);
  }

  /**
   * Heartbeats to every listener of one group, giving the event loop a turn after each
   * SLICE_MS of writing so that requests are served in between: writing to 10,000 streams
   * at once would stall the server for over 100 ms.
   */
  async heartbeat(group: number, stopped: () => boolean = () => false): Promise<void> {
    const members = this.groups[group % this.groupCount]!;
    const listeners = [...members];
    let sliceStart = performance.now();
    for (let i = 0; i < listeners.length; i++) {
      if (i % LISTENERS_PER_CLOCK_READ === 0 && i > 0 && performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped()) return;
        sliceStart = performance.now();
      }
      const listener = listeners[i]!;
      // One that left during the pause is not written to.
      if (members.has(listener)) listener.heartbeat();
    }
  }

  /** Ends every listener of `room`, asking clients to come back soon: who may read it has changed. */
  closeRoom(room: string): void {
    for (const listener of [...(this.byRoom.get(room) ?? [])]) listener.close(true);
  }

  /** Ends every listener, asking clients to come back soon (to this server restarted, or another). */
  closeAll(): void {
    for (const members of [...this.byRoom.values()]) for (const listener of [...members]) listener.close(true);
    this.stopObserving();
  }
}
