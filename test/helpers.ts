// Test helpers: a real server on port 0, a clock the test moves by hand, and an SSE
// reader that sees frames exactly as a client does.
import { afterAll, afterEach } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App, type AppOptions } from "../lib/app.ts";
import type { Clock } from "../lib/base/clock.ts";
import { defaultConfig, type Config } from "../lib/config.ts";
import type { RoomEvent } from "../lib/domain/changes.ts";
import type { KeyHashing } from "../lib/http/room-keys.ts";
import { linesOf } from "../lib/base/lines.ts";
import { MemoryStore } from "../lib/store/memory.ts";

export class ManualClock implements Clock {
  /** How often the clock has been read: a job that runs on an interval reads it on each round. */
  reads = 0;
  constructor(private time = Date.parse("2026-11-21T09:00:00.000Z")) {}
  now(): number {
    this.reads++;
    return this.time;
  }
  /** Resolves once the clock has been read `count` more times: that many rounds of the jobs that read it have run. */
  async readMore(count: number, timeoutMs = 5000): Promise<void> {
    const target = this.reads + count;
    await eventually(() => this.reads >= target, timeoutMs);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/**
 * Room keys hashed as the server hashes them (Argon2id through Bun.password) at the lowest
 * cost: for tests of the rules about keys, not of the hash's cost, which is a tenth of a
 * second or more a key (several on a busy machine).
 */
export const CHEAP_KEY_HASHING: KeyHashing = {
  hash: (key) => Bun.password.hash(key, { algorithm: "argon2id", memoryCost: 256, timeCost: 1 }),
  verify: (key, hash) => Bun.password.verify(key, hash),
};

/**
 * A memory store whose feed of changes arrives 30 ms late, as a message bus's can: an app
 * on it decides changes on a stale copy of a room, and reads the room anew.
 */
export class LateFeedStore extends MemoryStore {
  override subscribe(listener: (event: RoomEvent) => void): () => void {
    return super.subscribe((event) => setTimeout(() => listener(event), 30));
  }
}

/** A server as tests ask it, over a socket or in-process: requests by path below its URL. */
export interface Answering {
  /** Base URL without a trailing slash, including any base path. */
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  put(path: string, body: unknown): Promise<Response>;
}

/** A PUT of `body`, as JSON unless it is a string already (sent as is, broken or not). */
function putOf(body: unknown): RequestInit {
  return { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) };
}

export interface TestServer extends Answering, AsyncDisposable {
  app: App;
  server: ReturnType<typeof Bun.serve>;
  config: Config;
  close(): Promise<void>;
}

/** What a test may change of Bun's own serving: its idle cut, in seconds (Bun's default is 10). */
export interface ServeOptions {
  idleTimeout?: number;
}

export async function startServer(overrides: Partial<Config> = {}, options: AppOptions = {}, serve: ServeOptions = {}): Promise<TestServer> {
  const config: Config = { ...defaultConfig(), port: 0, host: "127.0.0.1", ...overrides };
  const app = await createApp(config, options);
  const server = Bun.serve({ ...serve, port: 0, hostname: "127.0.0.1", development: false, fetch: app.fetch, websocket: app.websocket });
  const url = `http://127.0.0.1:${server.port}${config.basePath}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await server.stop(true);
  };
  return {
    url,
    app,
    server,
    config,
    fetch: (path, init) => fetch(`${url}${path}`, init),
    put: (path, body) => fetch(`${url}${path}`, putOf(body)),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The app answering requests handed to it in-process: no port, no socket, a clock moved by hand. */
export interface InProcessApp extends Answering, AsyncDisposable {
  app: App;
  clock: ManualClock;
  config: Config;
  close(): Promise<void>;
}

/**
 * The app without a server, for the breadth of routes, input and rules: everything but
 * streams and WebSockets behaves as over a socket, and time moves only when the test says.
 */
export async function inProcess(overrides: Partial<Config> = {}, options: AppOptions & { clock?: ManualClock } = {}): Promise<InProcessApp> {
  const config: Config = { ...defaultConfig(), port: 0, ...overrides };
  const clock = options.clock ?? new ManualClock();
  const app = await createApp(config, { ...options, clock });
  const host = "localhost";
  const url = `http://${host}${config.basePath}`;
  // No request leaves the process; as over a socket, each names the host it is addressed to,
  // and comes from the address "in-process".
  const answer = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("host")) headers.set("host", host);
    return app.fetch(new Request(`${url}${path}`, { ...init, headers }));
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    url,
    app,
    clock,
    config,
    fetch: answer,
    put: (path, body) => answer(path, putOf(body)),
    close,
    [Symbol.asyncDispose]: close,
  };
}

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** An open event stream; `next()` waits for the next event (optionally of one name). */
export class EventReader implements AsyncDisposable {
  readonly received: SseEvent[] = [];
  private consumed = 0;
  private waiters: (() => void)[] = [];
  private ended = false;
  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    void this.pump();
  }

  /** Opens the stream at `url`, over a socket unless `fetchWith` is an in-process app's fetch (with a path). */
  static async open(
    url: string,
    headers: Record<string, string> = {},
    fetchWith: (url: string, init: RequestInit) => Promise<Response> = fetch,
  ): Promise<EventReader> {
    const abort = new AbortController();
    const response = await fetchWith(url, { headers, signal: abort.signal });
    return new EventReader(response, abort);
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = this.response.body!.getReader();
      // In-process, no connection ends when the request is aborted: the reader is cancelled instead.
      this.abort.signal.addEventListener("abort", () => void reader.cancel().catch(() => {}));
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: "message", data: "" };
          const data: string[] = [];
          for (const line of frame.split("\n")) {
            const colon = line.indexOf(":");
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1);
            if (field === "event") event.event = value;
            else if (field === "data") data.push(value);
            else if (field === "id") event.id = value;
          }
          event.data = data.join("\n");
          this.received.push(event);
          this.wake();
        }
      }
    } catch {
      // Aborted by close(): the stream simply ends.
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves when the server has ended the stream. */
  async closedByServer(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error("stream still open");
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  async next(name?: string, timeoutMs = 2000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.consumed < this.received.length) {
        const event = this.received[this.consumed++]!;
        if (name === undefined || event.event === name) return event;
      }
      if (this.ended) throw new Error(`stream ended while waiting for ${name ?? "an event"}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${name ?? "event"} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, left);
      });
    }
  }

  /** The three events of a connect, parsed. */
  async replay(): Promise<{ history: unknown[]; timer: Record<string, unknown>; goal: Record<string, unknown> }> {
    const history = await this.next();
    const timer = await this.next();
    const goal = await this.next();
    if (history.event !== "INITIAL_HISTORY" || timer.event !== "TIMER_REQUEST" || goal.event !== "GOAL_REQUEST") {
      throw new Error(`unexpected replay order: ${history.event}, ${timer.event}, ${goal.event}`);
    }
    return { history: JSON.parse(history.data), timer: JSON.parse(timer.data), goal: JSON.parse(goal.data) };
  }

  close(): void {
    this.abort.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** Polls until `check` holds; for state that settles asynchronously (a closed socket). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(10);
  }
}

export interface SpawnedServer extends AsyncDisposable {
  child: ReturnType<typeof Bun.spawn>;
  /** Base URL without a trailing slash. */
  url: string;
  /** Every line the server has printed so far, stdout and stderr. */
  lines: string[];
  /** Resolves once a printed line contains `text`. */
  waitForLine(text: string, timeoutMs?: number): Promise<string>;
}

/**
 * Starts a real server process (the source with Bun, or the compiled binary) on a free
 * port and resolves once it has printed the URL it listens on, in text or JSON logs.
 */
export async function spawnServer(
  command: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<SpawnedServer> {
  const child = Bun.spawn(command, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  let changed = () => {};
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const line of linesOf(stream)) {
      lines.push(line);
      changed();
    }
    changed();
  };
  const finished = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const waitForLine = async (text: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = lines.find((l) => l.includes(text));
      if (line) return line;
      if (child.exitCode !== null) await finished;
      if (child.exitCode !== null && !lines.some((l) => l.includes(text))) {
        throw new Error(`server exited (${child.exitCode}) before printing "${text}":\n${lines.join("\n")}`);
      }
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${lines.join("\n")}`);
      await new Promise<void>((resolve) => {
        changed = resolve;
        setTimeout(resolve, 50);
      });
    }
  };
  const started = await waitForLine("http://127.0.0.1:");
  const url = /(http:\/\/127\.0\.0\.1:\d+[^\s"]*?)\/?(?=[\s"]|$)/.exec(started)![1]!;
  return {
    child,
    url,
    lines,
    waitForLine,
    async [Symbol.asyncDispose]() {
      child.kill("SIGKILL");
      await child.exited;
    },
  };
}

/** Temporary directories for a test file, each removed after the test that made it (or, with `afterAll`, after the file). */
export function tempDirs(prefix: string, removeAfter: typeof afterEach | typeof afterAll = afterEach): () => string {
  const made: string[] = [];
  removeAfter(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), `mob-timer-${prefix}-`));
    made.push(dir);
    return dir;
  };
}
