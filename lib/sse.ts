// Server-Sent Events: how an event is written, and the hub that holds open streams by
// topic (a room's name) and writes to them.
import type { Server } from "bun";

const SSE_HEADERS = Object.freeze({
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-store, no-cache, must-revalidate, proxy-revalidate, max-age=0",
  // nginx buffers responses unless told not to; events must pass through at once.
  "X-Accel-Buffering": "no",
});

/**
 * One event. `data` must be a single line (JSON.stringify output is): user text can then
 * never start a new SSE field or event.
 */
export function sseEvent(name: string, data: string, id?: number): string {
  return id === undefined ? `event:${name}\ndata:${data}\n\n` : `id:${id}\nevent:${name}\ndata:${data}\n\n`;
}

// Events are encoded to UTF-8 once per broadcast, not once per stream: a room of 1,000
// listeners would otherwise turn the same text into bytes a thousand times.
const encoder = new TextEncoder();

/** The writer of a `type: "direct"` ReadableStream: Bun's fastest way to stream. */
interface DirectSink {
  write(chunk: string | Uint8Array): unknown;
  flush(): unknown;
  close(): unknown;
}

class Subscriber {
  private open = true;
  constructor(
    private readonly sink: DirectSink,
    private readonly ended: () => void,
  ) {}

  /** Writes and flushes; a stream the client has gone from is closed, never thrown from. */
  send(chunk: string | Uint8Array): boolean {
    if (!this.open) return false;
    try {
      this.sink.write(chunk);
      this.sink.flush();
      return true;
    } catch {
      this.close();
      return false;
    }
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    try {
      this.sink.close();
    } catch {
      // Already closed by the client: nothing left to end.
    }
    this.ended();
  }
}

/** The longest the event loop is kept from serving requests while keep-alives go out. */
const SLICE_MS = 8;
/** Streams written between looks at the clock. */
const STREAMS_PER_CLOCK_READ = 100;

export class Hub {
  private readonly topics = new Map<string, Set<Subscriber>>();
  /** Every stream in one of `groupCount` groups, in turn, for keep-alives; see sendToGroup(). */
  private readonly groups: Set<Subscriber>[];
  private nextGroup = 0;
  private count = 0;
  /** Events written, for the metrics. */
  sent = 0;

  /**
   * @param onTopicEmpty called when the last stream of a topic ends, so that its owner can
   *   forget state nobody needs.
   * @param groupCount how many groups the streams are dealt into for keep-alives.
   */
  constructor(
    private readonly onTopicEmpty: (topic: string) => void = () => {},
    readonly groupCount = 1,
  ) {
    this.groups = Array.from({ length: groupCount }, () => new Set<Subscriber>());
  }

  get size(): number {
    return this.count;
  }

  listeners(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  /**
   * Opens a stream on `topic`. `replay` runs when the stream starts, in the same turn as
   * the subscription, so that no broadcast falls between what it returns and live events.
   * `onEnd` runs once when the stream ends, however it ends.
   */
  open(topic: string, req: Request, server: Server<undefined>, replay: () => string, onEnd: () => void = () => {}): Response {
    // Bun closes a connection idle for 10 s; a stream lives until the client goes.
    server.timeout(req, 0);
    const hub = this;
    const source = {
      type: "direct",
      pull(sink: DirectSink): Promise<void> {
        return new Promise<void>((resolve) => {
          let subscribers = hub.topics.get(topic);
          if (!subscribers) hub.topics.set(topic, (subscribers = new Set()));
          const members = subscribers;
          const group = hub.groups[hub.nextGroup++ % hub.groupCount]!;
          const subscriber: Subscriber = new Subscriber(sink, () => {
            members.delete(subscriber);
            group.delete(subscriber);
            hub.count--;
            if (members.size === 0 && hub.topics.get(topic) === members) {
              hub.topics.delete(topic);
              hub.onTopicEmpty(topic);
            }
            onEnd();
            resolve();
          });
          members.add(subscriber);
          group.add(subscriber);
          hub.count++;
          subscriber.send(replay());
          if (req.signal.aborted) subscriber.close();
          else req.signal.addEventListener("abort", () => subscriber.close(), { once: true });
        });
      },
    };
    return new Response(new ReadableStream(source as unknown as UnderlyingDefaultSource), { headers: SSE_HEADERS });
  }

  /** Writes to every stream of `topic`; `chunk` is only made when somebody listens. */
  broadcast(topic: string, chunk: () => string): void {
    const subscribers = this.topics.get(topic);
    if (!subscribers) return;
    const bytes = encoder.encode(chunk());
    for (const subscriber of subscribers) if (subscriber.send(bytes)) this.sent++;
  }

  /**
   * Writes `chunk` to every stream of one group, giving the event loop a turn after each
   * SLICE_MS of writing so that requests are served in between: writing to 10,000 streams
   * at once would stall the server for over 100 ms.
   */
  async sendToGroup(group: number, chunk: string, stopped: () => boolean = () => false): Promise<void> {
    const bytes = encoder.encode(chunk);
    const streams = [...this.groups[group % this.groupCount]!];
    let sliceStart = performance.now();
    for (let i = 0; i < streams.length; i++) {
      if (i % STREAMS_PER_CLOCK_READ === 0 && i > 0 && performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped()) return;
        sliceStart = performance.now();
      }
      if (streams[i]!.send(bytes)) this.sent++;
    }
  }

  /** Ends every stream, after `farewell` if given. */
  closeAll(farewell?: string): void {
    for (const subscribers of [...this.topics.values()]) {
      for (const subscriber of [...subscribers]) {
        if (farewell) subscriber.send(farewell);
        subscriber.close();
      }
    }
  }
}
