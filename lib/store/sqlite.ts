// The default store: one SQLite file in the data directory, owned by a worker thread
// (sqlite-worker.ts) so that the event loop never waits for the disk. A change is committed
// and synced before its append resolves; the operations of one turn of the event loop go to
// the worker as one message, and appends that meet there share one commit and one sync.
import type { Clock } from "../base/clock.ts";
import type { RoomChange, RoomEvent } from "../domain/changes.ts";
import type { StatsSnapshot } from "../domain/stats.ts";
import type { StatsTally } from "../domain/rotation-count.ts";
import type { StatsRow } from "../domain/rotation-stats.ts";
import { STORED, type Operation, type Reply, type Request, type RunningSlice } from "./sqlite-protocol.ts";
import { HereBoard } from "./here-board.ts";
import { StoreError, type AppendResult, type RoomState, type Store } from "./store.ts";

export const DATABASE_FILE = "mob-timer.db";

/**
 * How long a read or check() waits for the worker before failing: a commit stuck on a
 * frozen or failing disk holds the worker, and health must answer 503 instead of waiting
 * with it, as must a request for a room the core has to read. Appends have no deadline:
 * one that failed by the clock might still be stored.
 */
export const ANSWER_TIMEOUT_MS = 2000;

/**
 * The data directory as an absolute path, for messages that must name the file. Done by
 * hand: node:path would cost the main thread memory for its whole life, for this line.
 */
function absolute(path: string): string {
  return /^([A-Za-z]:)?[\\/]/.test(path) ? path : `${process.cwd()}/${path.replace(/^\.\//, "")}`;
}

/**
 * The worker's code: beside this file when run from source; in an executable, where
 * deploy/compile.ts embeds it as an entrypoint, at its path from the repository root.
 */
async function workerUrl(): Promise<string> {
  const beside = new URL("./sqlite-worker.ts", import.meta.url);
  return (await Bun.file(beside).exists()) ? beside.href : "./lib/store/sqlite-worker.ts";
}

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: StoreError) => void;
  /** What failed, for the message: "read" or "write to". */
  doing: string;
}

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  private readonly listeners = new Set<(event: RoomEvent) => void>();
  /** Who is here: in this process, as the server's other state of connections is. */
  private readonly here = new HereBoard();
  readonly reportHere = this.here.reportHere;
  readonly renewHere = this.here.renewHere;
  readonly readHere = this.here.readHere;
  readonly subscribeHere = this.here.subscribeHere;
  private readonly waiting = new Map<number, Waiting>();
  /** Operations for the message sent at the end of this turn of the event loop. */
  private queue: Request[] = [];
  private nextId = 1;
  private closing: Promise<void> | null = null;
  /** Set when the worker died: every operation fails with it. */
  private broken: StoreError | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly location: string,
  ) {
    worker.onmessage = (event: MessageEvent<string>) => this.receive(JSON.parse(event.data) as Reply[]);
    worker.addEventListener("error", (event) => this.fail(new StoreError(`the database worker for ${location} failed: ${event.message}`)));
  }

  /**
   * Opens (creating if missing) the database in `dataDir` and brings its schema up to date;
   * rejects with StoreError naming the file when it cannot, or when another server owns the
   * directory. `clock` dates the start of the statistics of a new database; `maxHistory`
   * caps each room's history, `roomStatsDays` keeps a team's rotation counts. `readOnly` opens it for an export beside a running server:
   * nothing is locked, created or migrated, and every write fails.
   */
  static async open(dataDir: string, clock: Clock, maxHistory = Number.POSITIVE_INFINITY, readOnly = false, roomStatsDays = 30): Promise<SqliteStore> {
    const path = `${absolute(dataDir).replace(/[\\/]+$/, "")}/${DATABASE_FILE}`;
    const store = new SqliteStore(new Worker(await workerUrl()), path);
    try {
      await store.call({ op: "open", path, now: clock.now(), maxHistory: Number.isFinite(maxHistory) ? maxHistory : null, roomStatsDays, readOnly }, "open");
      return store;
    } catch (error) {
      store.worker.terminate();
      throw error;
    }
  }

  private call(operation: Operation, doing: string): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(new StoreError(`the database ${this.location} is closed`));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject, doing });
      // Every operation is a literal made for its call: it becomes the request itself.
      const request = operation as Request;
      request.id = id;
      this.queue.push(request);
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Sends every operation queued in this turn as one message. */
  private flush(): void {
    if (this.queue.length === 0) return;
    this.worker.postMessage(JSON.stringify(this.queue));
    this.queue = [];
  }

  private receive(replies: Reply[]): void {
    for (const reply of replies) {
      const id = typeof reply === "number" ? reply : reply.id;
      const waiting = this.waiting.get(id);
      if (!waiting) continue;
      this.waiting.delete(id);
      if (typeof reply === "number") waiting.resolve(STORED);
      else if ("error" in reply) waiting.reject(new StoreError(`cannot ${waiting.doing} the database ${this.location}: ${reply.error}`));
      else waiting.resolve(reply.value);
    }
  }

  private fail(error: StoreError): void {
    this.broken = error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
    this.worker.terminate();
  }

  /** The answer to `operation`, or a StoreError once ANSWER_TIMEOUT_MS have passed without one. */
  private callInTime(operation: Operation, doing: string): Promise<unknown> {
    const answer = this.call(operation, doing);
    // An answer that comes after the deadline has nobody left to tell.
    answer.catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreError(`the database ${this.location} did not answer within ${ANSWER_TIMEOUT_MS} ms: its disk may be frozen or failing`)),
        ANSWER_TIMEOUT_MS,
      );
    });
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
  }

  readRoom(name: string): Promise<RoomState> {
    return this.callInTime({ op: "read-room", name }, "read") as Promise<RoomState>;
  }

  /** Not async: the answer follows the worker's promise directly, one promise fewer on every change. */
  append(name: string, change: RoomChange, seq: number, tally?: StatsTally): Promise<AppendResult> {
    const operation: Operation = tally ? { op: "append", name, change, seq, tally } : { op: "append", name, change, seq };
    return (this.call(operation, "write to") as Promise<AppendResult>).then((result) => {
      if (result.ok) {
        const event: RoomEvent = { room: name, seq, change };
        for (const listener of this.listeners) listener(event);
      }
      return result;
    });
  }

  roomCount(): Promise<number> {
    return this.callInTime({ op: "room-count" }, "read") as Promise<number>;
  }

  /** Asked for in slices, so that whatever else is asked meanwhile is answered between two (see SLICE_MS). */
  async runningRooms(now: number, withSettings = false): Promise<RoomState[]> {
    const found: RoomState[] = [];
    for (let after: string | null = ""; after !== null; ) {
      const slice = (await this.callInTime({ op: "running-rooms", now, withSettings, after }, "read")) as RunningSlice;
      found.push(...slice.rooms);
      after = slice.next;
    }
    return found;
  }

  readStats(now: number): Promise<StatsSnapshot> {
    return this.callInTime({ op: "read-stats", now }, "read") as Promise<StatsSnapshot>;
  }

  readRoomStats(name: string, from: string, to: string): Promise<StatsRow[]> {
    return this.callInTime({ op: "read-room-stats", name, from, to }, "read") as Promise<StatsRow[]>;
  }

  async importRoomStats(name: string, rows: StatsRow[]): Promise<void> {
    await this.call({ op: "import-room-stats", name, rows }, "write to");
  }

  roomNames(): Promise<string[]> {
    return this.callInTime({ op: "room-names" }, "read") as Promise<string[]>;
  }

  async importRoom(state: RoomState): Promise<void> {
    await this.call({ op: "import-room", state }, "write to");
  }

  async importStats(snapshot: StatsSnapshot): Promise<void> {
    await this.call({ op: "import-stats", snapshot }, "write to");
  }

  emptiedRooms(cutoff: number): Promise<string[]> {
    return this.callInTime({ op: "emptied-rooms", cutoff }, "read") as Promise<string[]>;
  }

  async expire(cutoff: number, now: number): Promise<void> {
    await this.call({ op: "expire", cutoff, now }, "write to");
  }

  /** Only this process writes the file: the feed carries this store's own commits. */
  subscribe(listener: (event: RoomEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Commits a write that changes a page, so that it reaches the disk: fails while the disk
   * is full or failing, or the file was deleted, and passes again once a commit succeeds;
   * fails after ANSWER_TIMEOUT_MS while a commit hangs (a frozen disk).
   */
  async check(): Promise<void> {
    await this.callInTime({ op: "check" }, "write to");
  }

  /** Commits what is pending, closes the file and ends the worker. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.broken) return;
    const id = this.nextId++;
    const closed = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject, doing: "close" }));
    this.queue.push({ op: "close", id });
    this.flush();
    try {
      await closed;
    } finally {
      this.listeners.clear();
      this.worker.terminate();
    }
  }
}
