// Who is asking, with every budget of their address (ntfy's visitor): resolved once per
// request by the pipeline, which spends the budget its route's entry names; handlers spend
// the rest through it (a stream held, a new room, a room key tried). Reads and stream opens
// are counted per instance; changes, new rooms and key tries, with a store several
// instances share, for the service (see sharedWhereStored).
import type { Clock } from "../base/clock.ts";
import { after, type Later } from "../base/later.ts";
import type { Config } from "../config.ts";
import { DomainError } from "../domain/errors.ts";
import type { RoomCreator } from "../domain/rooms.ts";
import type { AppServer } from "../live/ws.ts";
import type { Store } from "../store/store.ts";
import { LocalBudget, sharedWhereStored, Slots, type Budget } from "./budgets.ts";
import { clientAddress } from "./client.ts";
import { HttpError } from "./errors.ts";
import { GuessLimiter } from "./guesses.ts";

/**
 * What a request of a route costs, named in the route table: a change, a read, a stream
 * opened, nothing (assets, loaded with every page, reveal nothing about rooms), or a
 * `poll`: a read, or a stream opened when its query asks to wait (`wait=`), since a
 * long-poll is held like a stream.
 */
export type Cost = "write" | "read" | "poll" | "stream" | "free";

/** Requests handed to the app directly (tests, in-process callers) have no connection. */
const IN_PROCESS = "in-process";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * A refused stream's connection is closed: a client that kept it open would hold a file
 * descriptor, and the total limit exists to keep descriptors free.
 */
const REFUSED_STREAM = { "Retry-After": "10", Connection: "close" };

/**
 * A budget's 429, one value per number of seconds to wait: a client over its budget is
 * refused as fast as it can send, and an error built anew (its stack) costs about 1 µs
 * against 0.06 for one found here (Bun 1.4.5).
 */
class Refusals {
  private readonly bySeconds = new Map<number, HttpError>();

  constructor(
    private readonly code: string,
    private readonly message: string,
  ) {}

  after(seconds: number): HttpError {
    let refusal = this.bySeconds.get(seconds);
    if (refusal === undefined) this.bySeconds.set(seconds, (refusal = new HttpError(429, this.code, this.message, { "Retry-After": String(seconds) })));
    return refusal;
  }
}

/** The service's budgets, each for every address: what a Visitor spends from. */
export class Budgets {
  readonly writes: Budget;
  readonly reads: LocalBudget;
  readonly streamOpens: LocalBudget;
  readonly streamsHeld: Slots;
  readonly newRooms: Budget;
  readonly keyTries: Budget;
  /** Wrong passwords, while the server asks for Basic auth. */
  readonly guesses: GuessLimiter | null;
  readonly refusedWrite: Refusals;
  readonly refusedRead: Refusals;
  readonly refusedStreamOpen: Refusals;
  readonly refusedKeyTry: Refusals;
  /** Streams open from every address: at most maxStreams. */
  streamsOpen = 0;

  constructor(
    private readonly config: Config,
    store: Store,
    authenticate: ((req: Request) => void) | null,
  ) {
    this.writes = sharedWhereStored(store, "writes", config.writesPerMinute, MINUTE);
    this.reads = new LocalBudget(config.readsPerMinute, MINUTE);
    this.streamOpens = new LocalBudget(config.streamOpensPerMinute, MINUTE);
    this.streamsHeld = new Slots(config.maxStreamsPerClient);
    this.newRooms = sharedWhereStored(store, "new-rooms", config.newRoomsPerHour, HOUR);
    // Guessing on many instances is as slow as on one.
    this.keyTries = sharedWhereStored(store, "room-key-tries", config.keyTriesPerMinute, MINUTE);
    this.guesses = authenticate && new GuessLimiter(authenticate, config.authFailures);
    this.refusedWrite = new Refusals("write_rate", `too many changes from your address; at most ${config.writesPerMinute} a minute`);
    this.refusedRead = new Refusals("read_rate", `too many reads from your address; at most ${config.readsPerMinute} a minute`);
    this.refusedStreamOpen = new Refusals("stream_opens", `too many event streams opened from your address; at most ${config.streamOpensPerMinute} a minute`);
    this.refusedKeyTry = new Refusals("room_key_tries", "too many room keys tried for your address; try again later");
  }

  get maxStreams(): number {
    return this.config.maxStreams;
  }

  get newRoomsPerHour(): number {
    return this.config.newRoomsPerHour;
  }

  /** Throws the refusal of a change when `retry` says the budget of changes was spent. */
  refuseWrite(retry: number | null): void {
    if (retry !== null) throw this.refusedWrite.after(retry);
  }

  /** Forgets addresses whose budgets are whole again. */
  prune(now: number): void {
    this.writes.prune(now);
    this.reads.prune(now);
    this.streamOpens.prune(now);
    this.newRooms.prune(now);
    this.keyTries.prune(now);
    this.guesses?.prune(now);
  }
}

/** A budget kept in a shared store that cannot answer: nothing was changed, and trying again may work. */
function notStored(cause: unknown): never {
  throw new DomainError("storage_unavailable", "The change could not be stored and was not made; try again.", 5, { cause });
}

export class Visitor implements RoomCreator {
  private resolved: string | undefined;

  constructor(
    private readonly req: Request,
    private readonly server: AppServer | undefined,
    private readonly trustProxy: boolean,
    private readonly budgets: Budgets,
  ) {}

  /** The client's address, found once and only when a budget or a log line needs it (it costs about a microsecond). */
  get address(): string {
    this.resolved ??= this.server ? clientAddress(this.req, this.server, this.trustProxy) : IN_PROCESS;
    return this.resolved;
  }

  /** Spends what the route costs, or throws 429. */
  spend(cost: Cost, now: number): Later<void> {
    switch (cost) {
      case "write":
        return this.write(now);
      case "read":
        return this.read(now);
      case "poll":
        return isHeld(this.req.url) ? this.openStream(now) : this.read(now);
      case "stream":
        return this.openStream(now);
      case "free":
        return;
    }
  }

  /** A change: the budget of changes. */
  write(now: number): void | Promise<void> {
    const taken = this.budgets.writes.take(this.address, now);
    if (!(taken instanceof Promise)) return this.budgets.refuseWrite(taken);
    return taken.then((retry) => this.budgets.refuseWrite(retry), notStored);
  }

  /** A read, or any WebSocket message that is no change (a ping, garbage): the budget of reads. */
  read(now: number): void {
    const retry = this.budgets.reads.take(this.address, now);
    if (retry !== null) throw this.budgets.refusedRead.after(retry);
  }

  private openStream(now: number): void {
    const retry = this.budgets.streamOpens.take(this.address, now);
    if (retry !== null) throw this.budgets.refusedStreamOpen.after(retry);
  }

  /** Counts a stream held open or throws 429; the returned function gives its slot back, once. */
  holdStream(): () => void {
    const budgets = this.budgets;
    const address = this.address;
    if (budgets.streamsHeld.take(address) !== null) {
      throw new HttpError(429, "streams_per_client", `too many open event streams from your address; at most ${budgets.streamsHeld.perKey}`, REFUSED_STREAM);
    }
    if (budgets.streamsOpen >= budgets.maxStreams) {
      budgets.streamsHeld.giveBack(address);
      throw new HttpError(429, "streams_total", `the server holds its maximum of ${budgets.maxStreams} event streams`, REFUSED_STREAM);
    }
    budgets.streamsOpen++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      budgets.streamsOpen--;
      budgets.streamsHeld.giveBack(address);
    };
  }

  /** A room is about to be created for this client (Rooms asks): within its hourly budget. */
  createRoom(now: number): Later<void> {
    const { newRooms, newRoomsPerHour } = this.budgets;
    return after(newRooms.take(this.address, now), (retry) => {
      if (retry !== null) throw new DomainError("rooms_per_client", `too many new rooms from your address; at most ${newRoomsPerHour} an hour`, retry);
    });
  }

  /** Throws 429 while the address is locked out for wrong passwords, else 401 for wrong credentials; nothing without Basic auth. */
  checkPassword(clock: Clock): void {
    this.budgets.guesses?.check(this.req, this.address, clock.now());
  }

  /** One slow check of a room key: the budget of key tries; throws 429 when spent. */
  tryKey(now: number): Later<void> {
    const { keyTries, refusedKeyTry } = this.budgets;
    return after(keyTries.take(this.address, now), (retry) => {
      if (retry !== null) throw refusedKeyTry.after(retry);
    });
  }
}

/** Whether a request's query asks to wait (`wait=`). */
function isHeld(url: string): boolean {
  const query = url.indexOf("?");
  return query !== -1 && /[?&]wait=/.test(url.slice(query));
}
