// Many room listeners in one process, each a raw TCP connection (Bun.connect) that parses
// HTTP chunked framing and SSE frames, or WebSocket frames, itself: about a tenth of the
// memory and CPU of a fetch() stream or a WebSocket object per listener, which is what lets
// one bench process hold 10,000 of them on the same two cores as the server.
import type { Socket } from "bun";

interface State {
  room: string;
  /** Bytes as latin1 text (one char per byte), so that chunk sizes count characters. */
  raw: string;
  headersDone: boolean;
  chunked: boolean;
  /** Bytes left in the current chunk; -1 while reading a chunk-size line. */
  chunkLeft: number;
  sse: string;
  ready: boolean;
  lastUser: string | null;
  closing: boolean;
  settle: (error?: Error) => void;
}

interface Expectation {
  room: string;
  remaining: number;
  done: (lastAt: number) => void;
}

/** How a listener follows its room: the event stream, or the room's WebSocket. */
export type Transport = "sse" | "ws";

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError: string | null;
  ms: number;
}

/** At most this many listeners between connect and their replay: more overflow Bun's accept backlog (512). */
const IN_FLIGHT = 200;
const CONNECT_TIMEOUT_MS = 10_000;

export class Listeners {
  private readonly sockets: Socket<State>[] = [];
  private readonly readyByRoom = new Map<string, number>();
  private readonly expected = new Map<string, Expectation>();
  private openSockets = 0;
  disconnects = 0;
  /** TIMER_REQUESTs with a user nobody waits for in that room: misrouted, duplicated or late. */
  unexpected = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly transport: Transport = "sse",
  ) {}

  get size(): number {
    return this.sockets.length;
  }

  /** Opens one listener per entry of `rooms`; each counts once its GOAL_REQUEST arrived. */
  async connect(rooms: readonly string[], timeoutMs = 120_000): Promise<ConnectResult> {
    const start = performance.now();
    const giveUp = start + timeoutMs;
    let next = 0;
    let connected = 0;
    let failed = 0;
    let firstError: string | null = null;
    const worker = async () => {
      while (next < rooms.length && performance.now() < giveUp) {
        const room = rooms[next++]!;
        try {
          await this.open(room);
          connected++;
        } catch (error) {
          failed++;
          firstError ??= (error as Error).message;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, rooms.length) }, worker));
    failed += rooms.length - connected - failed;
    return { connected, failed, firstError, ms: performance.now() - start };
  }

  private open(room: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => state.settle(new Error(`no replay within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const state: State = {
        room,
        raw: "",
        headersDone: false,
        chunked: false,
        chunkLeft: -1,
        sse: "",
        ready: false,
        lastUser: null,
        closing: false,
        settle: (error) => {
          clearTimeout(timer);
          state.settle = () => {};
          if (error) reject(error);
          else resolve();
        },
      };
      Bun.connect<State>({
        hostname: this.host,
        port: this.port,
        data: state,
        socket: {
          open: (socket) => {
            this.sockets.push(socket);
            this.openSockets++;
            socket.write(this.request(room));
          },
          data: (socket, bytes) => this.receive(socket, bytes),
          close: (socket) => this.closed(socket),
          error: (socket, error) => socket.data.settle(error),
          connectError: (socket, error) => socket.data.settle(error),
        },
      }).catch((error: Error) => state.settle(error));
    });
  }

  private request(room: string): string {
    const host = `Host: ${this.host}:${this.port}\r\n`;
    if (this.transport === "sse") return `GET /${room}/events HTTP/1.1\r\n${host}Accept: text/event-stream\r\n\r\n`;
    return `GET /${room}/ws HTTP/1.1\r\n${host}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
  }

  private closed(socket: Socket<State>): void {
    const state = socket.data;
    this.openSockets--;
    if (!state.closing) {
      if (state.ready) this.disconnects++;
      state.settle(new Error("closed by the server before its replay"));
    }
    if (state.ready) {
      state.ready = false;
      this.readyByRoom.set(state.room, (this.readyByRoom.get(state.room) ?? 1) - 1);
    }
  }

  private receive(socket: Socket<State>, bytes: Buffer): void {
    const state = socket.data;
    // latin1 keeps one char per byte; the names this bench matches on are ASCII.
    state.raw += bytes.toString("latin1");
    if (!state.headersDone) {
      const end = state.raw.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = state.raw.slice(0, end);
      state.raw = state.raw.slice(end + 4);
      state.headersDone = true;
      if (!head.startsWith(this.transport === "sse" ? "HTTP/1.1 200" : "HTTP/1.1 101")) {
        state.settle(new Error(head.split("\r\n")[0]));
        state.closing = true;
        socket.end();
        return;
      }
      state.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
    }
    if (this.transport === "ws") {
      this.wsFrames(socket, state);
      return;
    }
    if (state.chunked) this.dechunk(state);
    else {
      state.sse += state.raw;
      state.raw = "";
    }
    this.frames(state);
  }

  private dechunk(state: State): void {
    for (;;) {
      if (state.chunkLeft === -1) {
        const end = state.raw.indexOf("\r\n");
        if (end === -1) return;
        state.chunkLeft = parseInt(state.raw.slice(0, end), 16);
        state.raw = state.raw.slice(end + 2);
      }
      // The chunk's data and the CRLF after it must both be here before it is taken.
      if (state.raw.length < state.chunkLeft + 2) return;
      state.sse += state.raw.slice(0, state.chunkLeft);
      state.raw = state.raw.slice(state.chunkLeft + 2);
      state.chunkLeft = -1;
    }
  }

  /** Server frames are unmasked: opcode, a length of 7, 16 or 64 bits, the payload. */
  private wsFrames(socket: Socket<State>, state: State): void {
    for (;;) {
      const raw = state.raw;
      if (raw.length < 2) return;
      let length = raw.charCodeAt(1) & 0x7f;
      let start = 2;
      if (length === 126) {
        if (raw.length < 4) return;
        length = (raw.charCodeAt(2) << 8) | raw.charCodeAt(3);
        start = 4;
      } else if (length === 127) {
        if (raw.length < 10) return;
        length = ((raw.charCodeAt(6) << 24) >>> 0) + ((raw.charCodeAt(7) << 16) | (raw.charCodeAt(8) << 8) | raw.charCodeAt(9));
        start = 10;
      }
      if (raw.length < start + length) return;
      const opcode = raw.charCodeAt(0) & 0x0f;
      const payload = raw.slice(start, start + length);
      state.raw = raw.slice(start + length);
      // A client's frames are masked; an all-zero mask leaves the (empty) pong as it is.
      if (opcode === 0x9) socket.write(new Uint8Array([0x8a, 0x80, 0, 0, 0, 0]));
      else if (opcode === 0x1) {
        const message = JSON.parse(payload) as { event?: string; data?: { user?: string | null } };
        if (message.event) this.event(state, message.event, () => message.data?.user ?? null);
      }
    }
  }

  private frames(state: State): void {
    let end: number;
    while ((end = state.sse.indexOf("\n\n")) !== -1) {
      const frame = state.sse.slice(0, end);
      state.sse = state.sse.slice(end + 2);
      let event = "";
      let data = "";
      for (const line of frame.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6);
        else if (line.startsWith("data:")) data = line.slice(5);
      }
      this.event(state, event, () => (JSON.parse(data) as { user: string | null }).user);
    }
  }

  /** An event of either transport; `user` parses the TIMER_REQUEST's user only when it counts. */
  private event(state: State, name: string, user: () => string | null): void {
    if (name === "GOAL_REQUEST" && !state.ready) {
      state.ready = true;
      this.readyByRoom.set(state.room, (this.readyByRoom.get(state.room) ?? 0) + 1);
      state.settle();
    } else if (name === "TIMER_REQUEST" && state.ready) {
      this.timer(state, user());
    }
  }

  private timer(state: State, user: string | null): void {
    const expectation = user === null ? undefined : this.expected.get(user);
    if (!expectation || expectation.room !== state.room || state.lastUser === user) {
      this.unexpected++;
      return;
    }
    state.lastUser = user;
    if (--expectation.remaining === 0) {
      this.expected.delete(user!);
      expectation.done(performance.now());
    }
  }

  /**
   * Waits for every ready listener of `room` to parse a TIMER_REQUEST of `user` (unique per
   * PUT). Resolves with the time the last one did, or with the number still missing after
   * `timeoutMs`. Call before sending the PUT.
   */
  expect(room: string, user: string, timeoutMs = 5000): Promise<{ lastAt: number } | { missing: number }> {
    const count = this.readyByRoom.get(room) ?? 0;
    if (count === 0) return Promise.resolve({ lastAt: performance.now() });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.expected.delete(user);
        resolve({ missing: expectation.remaining });
      }, timeoutMs);
      const expectation: Expectation = {
        room,
        remaining: count,
        done: (lastAt) => {
          clearTimeout(timer);
          resolve({ lastAt });
        },
      };
      this.expected.set(user, expectation);
    });
  }

  /** Closes every listener; resolves once the sockets are closed or after 5 s. */
  async close(): Promise<void> {
    for (const socket of this.sockets) {
      socket.data.closing = true;
      socket.end();
    }
    const giveUp = performance.now() + 5000;
    while (this.openSockets > 0 && performance.now() < giveUp) await Bun.sleep(50);
    this.sockets.length = 0;
  }
}
