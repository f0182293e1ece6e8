// WebSocket rooms, one transport of the fan-out. Each socket is a Listener (so it counts
// and holds its room like an event stream), but an event is published once per room to the
// room's topic, and Bun's runtime writes it to every subscribed socket: the first socket of
// the room the fan-out reaches publishes, the others find it done. Measured against a send()
// per socket: fan-out p50 to 1,000 sockets 12.0 against 21.1 ms (bench/RESULTS.md).
import type { Server, ServerWebSocket } from "bun";
import type { RoomEvent } from "../domain/changes.ts";
import type { Room } from "../domain/room.ts";
import type { RoomCreator } from "../domain/rooms.ts";
import type { Listener } from "./fanout.ts";
import { optedIn } from "../domain/team.ts";
import { changeMessage, hereMessage, openingMessages } from "./wire.ts";

/** One socket message: an event of the stream, by the same name and with the same data. */
function socketMessage(name: string, data: string, id?: number): string {
  return id === undefined ? `{"event":"${name}","data":${data}}` : `{"event":"${name}","id":${id},"data":${data}}`;
}

export const SOCKET_KEEP_ALIVE = socketMessage("KEEP_ALIVE", "null");

/** The socket message of a change, or null when listeners are not told of it. */
export function socketEvent(event: RoomEvent): string | null {
  const changed = changeMessage(event.change);
  return changed && socketMessage(changed.name, changed.data, event.seq);
}

/** What a new socket gets first, as an event stream does. */
export function socketOpening(room: Room, here: readonly string[]): string[] {
  return openingMessages(room, here).map(({ name, data, id }) => socketMessage(name, data, id));
}

function socketHere(here: readonly string[]): string {
  const { name, data } = hereMessage(here);
  return socketMessage(name, data);
}

/** A client's reference for a command, echoed in the one reply it gets. */
export type Ref = string | number | null;

export function socketDone(ref: Ref, id: number | null): string {
  return JSON.stringify({ ref, ok: true, id });
}

export function socketRefused(ref: Ref, error: string): string {
  return JSON.stringify({ ref, error });
}

/** What each socket carries from its upgrade to its close. */
/** Who opened a socket, as its messages need them: each message spends from their budgets. */
export interface SocketClient extends RoomCreator {
  /** A change: throws (or rejects with) a refusal when the budget of changes is spent. */
  write(now: number): void | Promise<void>;
  /** Any other message: throws a refusal when the budget of reads is spent. */
  read(now: number): void;
}

export interface SocketData {
  room: string;
  /** The HTTP layer's visitor of the upgrade. */
  visitor: SocketClient;
  /** The `seq` a resuming client has seen, from `?since=`. */
  since: number | null;
  /** Who the client said it is, from `?user=`; null when it did not. */
  user: string | null;
  /** Frees its slot under the stream limits; called once the socket closes. */
  release: () => void;
  /** Leaves the fan-out; set when the socket opens. */
  leave: () => void;
  /** Lets go of the room, held since before the upgrade; once the socket has joined the fan-out, or closes unopened. */
  unhold: () => void;
  /** Whether open() ran. */
  opened: boolean;
  /** performance.now() when the client last sent anything, a pong included. */
  heard: number;
  /** The room key's stored hash its upgrade was let in with (null: none); its commands need it to be the room's still. */
  grant: string | null;
}

export type AppServer = Server<SocketData>;
export type RoomSocket = ServerWebSocket<SocketData>;

/**
 * Bytes Bun may queue for one socket beyond what the kernel takes, as for an event stream:
 * a client that reads nothing is closed (it reconnects with `?since=` and loses nothing),
 * and one stuck client cannot make the server grow.
 */
export const SOCKET_BACKLOG_BYTES = 256 * 1024;

/** Events kept per room while sockets of it are open, so that a client back after a short drop gets just what it missed. */
export const RESUME_EVENTS = 64;

/** Close codes: 1012 (service restart) tells a client to come back in a moment. */
const RESTARTING = 1012;

function topic(room: string): string {
  return `room:${room}`;
}

/** The sockets' rooms: one publish per event and room, and the recent events to resume from. */
export class SocketRooms {
  private readonly recent = new Map<string, { sockets: number; events: RoomEvent[] }>();
  private lastPublished: RoomEvent | undefined;
  private lastHere: readonly string[] | undefined;
  /** Events published to a topic, for the benchmark's account of publishes per event. */
  published = 0;

  /**
   * Starts a socket on `room` (in memory, held): what it missed, or the opening state when
   * that cannot be told exactly, then the room's topic, in one turn so that no event falls
   * between. Exact means: the client is up to date, or every change since its `seq` is among
   * the recent events kept while sockets of this room were open. A team's room tells who is
   * here either way (when anyone is), as it is not among the numbered events.
   */
  open(ws: RoomSocket, room: Room, here: readonly string[]): void {
    let entry = this.recent.get(room.name);
    if (!entry) this.recent.set(room.name, (entry = { sockets: 0, events: [] }));
    entry.sockets++;
    const missed = this.missed(entry.events, room.seq, ws.data.since);
    for (const message of missed ? missed.map(socketEvent) : socketOpening(room, here)) if (message !== null) ws.send(message);
    if (missed && here.length > 0 && optedIn(room.settings)) ws.send(socketHere(here));
    ws.subscribe(topic(room.name));
  }

  private missed(events: readonly RoomEvent[], seq: number, since: number | null): RoomEvent[] | null {
    if (since === null || since > seq) return null;
    if (since === seq) return [];
    const first = events[0];
    if (!first || first.seq > since + 1 || events[events.length - 1]!.seq !== seq) return null;
    return events.filter((event) => event.seq > since);
  }

  closed(room: string): void {
    const entry = this.recent.get(room);
    if (entry && --entry.sockets === 0) this.recent.delete(room);
  }

  /** Publishes `event` to its room's topic through `ws`, unless a socket of the room already did. */
  publish(ws: RoomSocket, event: RoomEvent): void {
    if (event === this.lastPublished) return;
    this.lastPublished = event;
    this.published++;
    const entry = this.recent.get(event.room);
    if (entry) {
      entry.events.push(event);
      if (entry.events.length > RESUME_EVENTS) entry.events.shift();
    }
    const message = socketEvent(event);
    if (message !== null) ws.publish(topic(event.room), message);
  }

  /** Publishes who is here to the room's topic through `ws`, unless a socket of the room already did. */
  publishHere(ws: RoomSocket, here: readonly string[]): void {
    if (here === this.lastHere) return;
    this.lastHere = here;
    ws.publish(topic(ws.data.room), socketHere(here));
  }

  /** The room was read anew: the events kept no longer tell what a client missed. */
  forget(room: string): void {
    const entry = this.recent.get(room);
    if (entry) entry.events = [];
  }
}

/** One socket as a listener of the fan-out. */
export class SocketListener implements Listener {
  constructor(
    private readonly ws: RoomSocket,
    private readonly rooms: SocketRooms,
    /** Silence after which the client is taken for gone, in ms. */
    private readonly idleMs: number,
    /** Who is here in the room now, for the opening state sent again. */
    private readonly hereIn: (room: string) => readonly string[],
  ) {}

  get user(): string | null {
    return this.ws.data.user;
  }

  deliver(event: RoomEvent): void {
    this.rooms.publish(this.ws, event);
  }

  here(here: readonly string[]): void {
    this.rooms.publishHere(this.ws, here);
  }

  /** What the client holds is stale: it gets the opening state again, as a new socket would. */
  reset(room: Room): void {
    this.rooms.forget(room.name);
    for (const message of socketOpening(room, this.hereIn(room.name))) this.ws.send(message);
  }

  /**
   * The keep-alive round: a client silent for the idle time (not even a pong to the last
   * ping) is dropped, a live one gets a ping and the KEEP_ALIVE message that a browser,
   * which never sees pings, can watch for. Checked here rather than by Bun's idle timeout:
   * on Bun 1.4.5 a raw client that answered nothing stayed open 20 s past an 8-s one.
   */
  heartbeat(): void {
    if (performance.now() - this.ws.data.heard > this.idleMs) {
      this.ws.terminate();
      return;
    }
    this.ws.ping();
    this.ws.send(SOCKET_KEEP_ALIVE);
  }

  close(reconnect: boolean): void {
    if (reconnect) this.ws.close(RESTARTING, "the server is restarting; come back in a second");
    else this.ws.close();
  }
}
