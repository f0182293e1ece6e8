// Who is asking, with every budget of their address (ntfy's visitor): resolved once per
// request by the pipeline, which spends the budget its route's entry names; handlers spend
// the rest through it (a stream held, a new room, a room key tried). Reads and stream opens
// are counted per instance; changes, new rooms and key tries, with a store several
// instances share, for the service (see sharedWhereStored).
import type { Clock } from "../base/clock.ts";
import type { Config } from "../config.ts";
import { DOMAIN_ERRORS } from "../domain/errors.ts";
import type { RoomCreator } from "../domain/rooms.ts";
import type { AppServer } from "../live/ws.ts";
import type { Store } from "../store/store.ts";
import { LocalBudget, sharedWhereStored, Slots, type SharedBudget } from "./budgets.ts";
import { clientAddress } from "./client.ts";
import { HTTP_ERRORS, type HttpError } from "./errors.ts";
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
 * A budget's 429, one value per number of seconds to wait: a client over its budget is
 * refused as fast as it can send, and an error built anew (its stack) costs about 1 µs
 * against 0.06 for one found here (Bun 1.4.5).
 */
class Refusals {
  private readonly bySeconds = new Map<number, HttpError>();

  constructor(
    /** The catalog's entry, and the budget its message names. */
    private readonly entry: { with(values: { perMinute: number; retryAfter: number }): HttpError },
    private readonly perMinute: number,
  ) {}

  after(retryAfter: number): HttpError {
    let refusal = this.bySeconds.get(retryAfter);
    if (refusal === undefined) this.bySeconds.set(retryAfter, (refusal = this.entry.with({ perMinute: this.perMinute, retryAfter })));
    return refusal;
  }
}

/** The service's budgets, each for every address: what a Visitor spends from. */
export class Budgets {
  /** In this process, answered at once; or in the shared store, answered later. */
  readonly writes: LocalBudget | SharedBudget;
  readonly reads: LocalBudget;
  readonly streamOpens: LocalBudget;
  readonly streamsHeld: Slots;
  readonly newRooms: LocalBudget | SharedBudget;
  readonly keyTries: LocalBudget | SharedBudget;
  /** Slow checks of one room's key, whoever makes them: keyed by room, not by address. */
  readonly keyTriesPerRoom: LocalBudget | SharedBudget;
  /** Wrong passwords, while the server asks for Basic auth. */
  readonly guesses: GuessLimiter | null;
  readonly refusedWrite: Refusals;
  readonly refusedRead: Refusals;
  readonly refusedStreamOpen: Refusals;
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
    this.keyTriesPerRoom = sharedWhereStored(store, "room-key-tries-per-room", config.roomKeyTriesPerMinute, MINUTE);
    this.guesses = authenticate && new GuessLimiter(authenticate, config.authFailures);
    this.refusedWrite = new Refusals(HTTP_ERRORS.writeRate, config.writesPerMinute);
    this.refusedRead = new Refusals(HTTP_ERRORS.readRate, config.readsPerMinute);
    this.refusedStreamOpen = new Refusals(HTTP_ERRORS.streamOpens, config.streamOpensPerMinute);
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
    this.keyTriesPerRoom.prune(now);
    this.guesses?.prune(now);
  }
}

/** A budget kept in a shared store that cannot answer: nothing was changed, and trying again may work. */
function notStored(cause: unknown): never {
  throw DOMAIN_ERRORS.notStored.with({}, { cause });
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
  spend(cost: Cost, now: number): void | Promise<void> {
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
    const { writes } = this.budgets;
    // In this process a change is counted at once: the pipeline's answer needs no promise.
    if (writes instanceof LocalBudget) return this.budgets.refuseWrite(writes.take(this.address, now));
    return writes.take(this.address, now).then((retry) => this.budgets.refuseWrite(retry), notStored);
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
    if (budgets.streamsHeld.take(address) !== null) throw HTTP_ERRORS.streamsPerClient.with({ max: budgets.streamsHeld.perKey });
    if (budgets.streamsOpen >= budgets.maxStreams) {
      budgets.streamsHeld.giveBack(address);
      throw HTTP_ERRORS.streamsTotal.with({ max: budgets.maxStreams });
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
  async createRoom(now: number): Promise<void> {
    const { newRooms, newRoomsPerHour } = this.budgets;
    const retry = await newRooms.take(this.address, now);
    if (retry !== null) throw DOMAIN_ERRORS.roomsPerClient.with({ perHour: newRoomsPerHour }, { retryAfter: retry });
  }

  /** Throws 429 while the address is locked out for wrong passwords, else 401 for wrong credentials; nothing without Basic auth. */
  checkPassword(clock: Clock): void {
    this.budgets.guesses?.check(this.req, this.address, clock.now());
  }

  /** One slow check of a room key: the budget of key tries; throws 429 when spent. */
  async tryKey(now: number): Promise<void> {
    const retry = await this.budgets.keyTries.take(this.address, now);
    if (retry !== null) throw HTTP_ERRORS.roomKeyTries.with({ who: "your address", retryAfter: retry });
  }
}

/** Whether a request's query asks to wait (`wait=`). */
function isHeld(url: string): boolean {
  const query = url.indexOf("?");
  return query !== -1 && /[?&]wait=/.test(url.slice(query));
}
