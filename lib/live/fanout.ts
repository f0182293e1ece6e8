// Room events to every listener of the room, whatever its transport: an event stream, a
// WebSocket or a long-poll waiter. The fan-out holds each room in memory while
// it has listeners, counts them all, and sends heartbeats in slices so that writing to
// thousands of listeners never stalls the server.
import type { RoomEvent } from "../domain/changes.ts";
import type { Room } from "../domain/room.ts";
import type { RoomObserver, Rooms } from "../domain/rooms.ts";

/** One listener of one room; each transport encodes what it is given in its own wire format. */
export interface Listener {
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
    if (!members) {
      this.byRoom.set(room, (members = new Set()));
      this.rooms.hold(room);
    }
    const group = this.groups[this.nextGroup++ % this.groupCount]!;
    members.add(listener);
    group.add(listener);
    this.count++;
    const set = members;
    let joined = true;
    return () => {
      if (!joined) return;
      joined = false;
      set.delete(listener);
      group.delete(listener);
      this.count--;
      if (set.size === 0 && this.byRoom.get(room) === set) {
        this.byRoom.delete(room);
        this.rooms.release(room);
      }
    };
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
