// Server-Sent Events, one transport of the fan-out: a room's listeners and the start
// page's counts. A stream is a `type: "direct"` ReadableStream, Bun's cheapest; what a
// client does not read is bounded, and HEAD gets the headers without a stream. The events'
// frames are PROTOCOL.md's bytes: nothing else in the server writes SSE text.
import { NO_GOAL, NO_TIMER, type RoomEvent } from "../domain/changes.ts";
import type { Room } from "../domain/room.ts";
import type { Listener } from "./fanout.ts";
import type { AppServer } from "./ws.ts";
import { changeMessage, hereMessage, KEEP_ALIVE_JSON, message, NO_ONE, openingMessages, type Message } from "./wire.ts";

/**
 * One event. `data` must be a single line (JSON.stringify output is): user text can then
 * never start a new SSE field or event.
 */
export function sseFrame(name: string, data: string, id?: number): string {
  return id === undefined ? `event:${name}\ndata:${data}\n\n` : `id:${id}\nevent:${name}\ndata:${data}\n\n`;
}

function frameOf({ name, data, id }: Message): string {
  return sseFrame(name, data, id);
}

export const KEEP_ALIVE_FRAME = sseFrame("KEEP_ALIVE", KEEP_ALIVE_JSON);

/** EventSource reconnects after `retry` ms when its stream ends: sent before we end one. */
export const RECONNECT_SOON = "retry:1000\n\n";

/** The frame of a change, or null when listeners are not told of it. */
export function changeFrame(event: RoomEvent): string | null {
  const changed = changeMessage(event.change);
  return changed && sseFrame(changed.name, changed.data, event.seq);
}

/** What a listener of a room nobody has used gets: the same bytes every time, with no number to resume from. */
const EMPTY_REPLAY = [message("INITIAL_HISTORY", []), message("TIMER_REQUEST", NO_TIMER), message("GOAL_REQUEST", NO_GOAL)].map(frameOf).join("");

/** What a new listener of a room gets first: see openingMessages. */
export function replayFrames(room: Room | undefined, here: readonly string[] = NO_ONE): string {
  if (!room || (room.isEmpty && room.seq === 0)) return EMPTY_REPLAY;
  return openingMessages(room, here).map(frameOf).join("");
}

/** The start page's counts: open room listeners, and rooms whose timer runs. */
export function countsFrames(listeners: number, runningTimers: number): string {
  return frameOf(message("ACTIVE_USERS_UPDATE", listeners)) + frameOf(message("ACTIVE_TIMERS_UPDATE", runningTimers));
}

const SSE_HEADERS = Object.freeze({
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-store, no-cache, must-revalidate, proxy-revalidate, max-age=0",
  // nginx buffers responses unless told not to; events must pass through at once.
  "X-Accel-Buffering": "no",
});

/**
 * Bytes a stream may hold unsent in this process once the kernel's socket buffer is full.
 * A client that reads nothing for that long is closed: EventSource reconnects and gets the
 * full replay, so nothing is lost, and one stuck client cannot make the server grow.
 */
export const MAX_UNSENT_BYTES = 64 * 1024;

/** The writer of a direct ReadableStream. `write` answers a promise once the socket is full. */
interface DirectSink {
  write(chunk: string | Uint8Array): number | Promise<number>;
  flush(): unknown;
  close(): unknown;
}

/** What the event streams did, for the metrics. */
export class SseCounters {
  /** Events written, keep-alives included. */
  sent = 0;
  /** Streams closed because their client stopped reading. */
  closedUnread = 0;
}

export class SseStream {
  private open = true;
  /** Bytes written since the socket last drained; zero while it keeps up. */
  private unsent = 0;

  constructor(
    private readonly sink: DirectSink,
    private readonly counters: SseCounters,
    private readonly ended: () => void,
  ) {}

  /** Writes and flushes; a stream the client has gone from is closed, never thrown from. */
  send(chunk: string | Uint8Array): boolean {
    if (!this.open) return false;
    try {
      const written = this.sink.write(chunk);
      this.sink.flush();
      if (written instanceof Promise) this.backlog(written, chunk.length);
      this.counters.sent++;
      return true;
    } catch {
      this.close();
      return false;
    }
  }

  private backlog(drained: Promise<number>, size: number): void {
    if (this.unsent === 0) drained.then(() => (this.unsent = 0), () => {});
    this.unsent += size;
    if (this.unsent > MAX_UNSENT_BYTES) {
      this.counters.closedUnread++;
      this.close();
    }
  }

  close(farewell?: string): void {
    if (!this.open) return;
    this.open = false;
    try {
      if (farewell) this.sink.write(farewell);
      this.sink.close();
    } catch {
      // Already closed by the client: nothing left to end.
    }
    this.ended();
  }
}

/**
 * An event stream's response. `start` runs when the stream starts, with the stream to
 * write to, and returns what to do when it ends, however it ends. A HEAD request gets the
 * headers alone: no stream is opened, so nothing is held for a body nobody reads.
 */
export function sseResponse(req: Request, server: AppServer | undefined, counters: SseCounters, start: (stream: SseStream) => () => void): Response {
  if (req.method === "HEAD") return new Response(null, { headers: SSE_HEADERS });
  // Bun closes a connection idle for 10 s; a stream lives until the client goes.
  server?.timeout(req, 0);
  return new Response(new ReadableStream(directSource(req.signal, counters, start) as unknown as UnderlyingDefaultSource), { headers: SSE_HEADERS });
}

/**
 * The stream's source, made apart from the request: what a stream keeps for its life (for
 * thousands of listeners, for hours) is this, not the request, its headers and its context.
 * A client gone cancels the stream, so no watch on the request is kept either.
 */
function directSource(signal: AbortSignal, counters: SseCounters, start: (stream: SseStream) => () => void) {
  let stream: SseStream | undefined;
  // Let go of once used: what it was made with (the request's handler) need not stay.
  let begin: typeof start | null = start;
  return {
    type: "direct",
    pull(sink: DirectSink): Promise<void> {
      return new Promise<void>((resolve) => {
        let stop = () => {};
        stream = new SseStream(sink, counters, () => {
          stop();
          resolve();
        });
        stop = begin!(stream);
        begin = null;
        if (signal.aborted) stream.close();
      });
    },
    cancel(): void {
      stream?.close();
    },
  };
}

// Each frame is encoded to UTF-8 once, not once per stream: a room of 1,000 listeners would
// otherwise turn the same text into bytes a thousand times.
const encoder = new TextEncoder();
const KEEP_ALIVE_BYTES = encoder.encode(KEEP_ALIVE_FRAME);

/** The last event's bytes (null: not sent on streams): a broadcast asks for the same event once per listener. */
let lastEvent: RoomEvent | undefined;
let lastBytes: Uint8Array | null = null;
function eventBytes(event: RoomEvent): Uint8Array | null {
  if (event !== lastEvent) {
    const frame = changeFrame(event);
    lastBytes = frame === null ? null : encoder.encode(frame);
    lastEvent = event;
  }
  return lastBytes;
}

/** Who is here, as the last announcement's bytes: a room's listeners are all given the same list. */
let lastHere: readonly string[] | undefined;
let lastHereBytes = new Uint8Array();
function hereBytes(here: readonly string[]): Uint8Array {
  if (here !== lastHere) {
    const { name, data } = hereMessage(here);
    lastHereBytes = encoder.encode(sseFrame(name, data));
    lastHere = here;
  }
  return lastHereBytes;
}

/**
 * Each room's replay, built once per state of the room (and of who is here): a client
 * re-opening a stream in a loop, or a thousand listeners connecting at once, costs a lookup,
 * not a serialisation of the history. Held as long as the room is in memory.
 */
const replays = new WeakMap<Room, { version: number; here: readonly string[]; bytes: Uint8Array }>();
export function replayBytes(room: Room, here: readonly string[] = NO_ONE): Uint8Array {
  const cached = replays.get(room);
  if (cached && cached.version === room.version && cached.here === here) return cached.bytes;
  const bytes = encoder.encode(replayFrames(room, here));
  replays.set(room, { version: room.version, here, bytes });
  return bytes;
}

/** A room's event stream as a listener of the fan-out. */
export class RoomStream implements Listener {
  constructor(
    private readonly stream: SseStream,
    readonly user: string | null = null,
  ) {}

  deliver(event: RoomEvent): void {
    const bytes = eventBytes(event);
    if (bytes) this.stream.send(bytes);
  }

  here(here: readonly string[]): void {
    this.stream.send(hereBytes(here));
  }

  reset(): void {
    this.stream.close(RECONNECT_SOON);
  }

  heartbeat(): void {
    this.stream.send(KEEP_ALIVE_BYTES);
  }

  close(reconnect: boolean): void {
    this.stream.close(reconnect ? RECONNECT_SOON : undefined);
  }
}

/** Streams that all get the same frames: the start page's counts. */
export class SseChannel {
  private readonly streams = new Set<SseStream>();

  get size(): number {
    return this.streams.size;
  }

  add(stream: SseStream): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  /** Sends `frames()` to every stream; made only when somebody listens. */
  broadcast(frames: () => string): void {
    if (this.streams.size === 0) return;
    const bytes = encoder.encode(frames());
    for (const stream of [...this.streams]) stream.send(bytes);
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.close(RECONNECT_SOON);
  }
}
