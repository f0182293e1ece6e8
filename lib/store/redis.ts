// Rooms, goals and statistics in Redis, shared by every instance given the same REDIS_URL.
// Each change is one script that checks the room's number, stores, counts and publishes in
// one step, so every instance sees one order per room; a second connection follows the
// published changes of every instance (the room core's feed).
import type { Clock } from "../base/clock.ts";
import { DAY_MS, isoTime } from "../base/clock.ts";
import type { RoomChange, RoomEvent, TimerRequest } from "../domain/changes.ts";
import { endOf, NO_GOAL } from "../domain/changes.ts";
import { mergedNames } from "../domain/presence.ts";
import { decodeSettings } from "../domain/settings.ts";
import type { RoomState } from "../domain/room.ts";
import { firstKeptDay, sortedSnapshot, statsCount, type StatsSnapshot } from "../domain/stats.ts";
import { COUNT_OPS, decodeCursor, type CountField, type StatsCount, type StatsTally } from "../domain/rotation-count.ts";
import { daysBetween, firstDay, type StatsRow } from "../domain/rotation-stats.ts";
import type { Logger } from "../base/log.ts";
import { ScriptBatch } from "./redis-batch.ts";
import { RedisLink } from "./redis-link.ts";
import type { RedisTls } from "./redis-tls.ts";
import {
  APPEND,
  EMPTIED_ROOMS,
  EXPIRE,
  IMPORT_ROOM,
  IMPORT_ROOM_STATS,
  IMPORT_STATS,
  READ_HERE,
  READ_ROOM,
  READ_ROOM_STATS,
  RENEW_HERE,
  REPORT_HERE,
  ROOM_NAMES,
  RUNNING_ROOMS,
  SHARE_COUNTS,
  TAKE_TOKEN,
  type Script,
} from "./redis-scripts.ts";
import { StoreUnavailable, type AppendResult, type SharedCounts, type Store } from "./store.ts";

/**
 * Longest wait for one Redis call. A stuck Redis (paused, swapping, a network that drops
 * packets) makes a write fail with 503 after this, rather than hold the client and its
 * connection; the mob CLI and the web page simply try again.
 */
const CALL_TIMEOUT_MS = 2000;

/** Key prefix of a store opened without one. */
export const DEFAULT_PREFIX = "mob-timer:";

export interface RedisStoreOptions {
  /** Every key and the channel start with it; tests give each store its own. */
  prefix?: string;
  /** How the URL is shown in logs and the start line: without its password. */
  shownAs?: string;
  /** Entries a room's history keeps at most (HISTORY_MAX_ENTRIES). */
  maxHistory?: number;
  /** Days a team's rotation counts are kept (ROOM_STATS_DAYS). */
  roomStatsDays?: number;
  /** For a rediss:// Redis: REDIS_CA_FILE's CA, REDIS_CERT_FILE's client certificate and REDIS_KEY_FILE's key. */
  tls?: RedisTls;
}

export class RedisStore implements Store {
  readonly kind = "redis";
  readonly location: string;
  private readonly prefix: string;
  private readonly channel: string;
  /** Where the room of every report of who is here goes: a channel of its own, which instances of an earlier version never read. */
  private readonly hereChannel: string;
  private readonly maxHistory: number;
  private readonly roomStatsDays: number;
  /** This instance, in the counts every instance reports. */
  private readonly instance = crypto.randomUUID();
  /**
   * How the changes this instance publishes begin, before the number it gives each: fields
   * that other instances ignore. Parsing its own changes again from the feed was a tenth of
   * an instance's work under load.
   */
  private readonly ownTag = `{"from":"${this.instance}","own":`;
  private lastOwn = 0;
  /**
   * This instance's changes on their way, by their own number: its subscribers hear of each
   * once, from whichever comes first, Redis's answer ("told") or the feed ("heard"). One
   * whose answer never came (a timeout, a lost connection) is forgotten here, so that the
   * feed tells of it if it was made.
   */
  private readonly own = new Map<number, "sent" | "heard" | "told">();
  private readonly commands: RedisLink;
  /** Changes and token takes of one moment go to Redis together (see ScriptBatch). */
  private readonly appends = new ScriptBatch((batch) => this.run(APPEND, [batch]));
  private readonly tokens = new ScriptBatch((batch) => this.run(TAKE_TOKEN, [batch]));
  /** Rooms read at once (the first listeners of many rooms connecting) go in one call too. */
  private readonly reads = new ScriptBatch((batch) => this.run(READ_ROOM, [batch]));
  private readonly feed: RedisLink;
  private readonly listeners = new Set<(event: RoomEvent) => void>();
  private readonly missedListeners = new Set<() => void>();
  private readonly hereListeners = new Set<(room: string) => void>();
  /** Links down now: one log line when Redis goes away and one when it is back. */
  private readonly down = new Set<RedisLink>();
  private opening = true;
  /**
   * Changes may have been published while the feed was away (or before the store could
   * read anything): subscribers are told once both links are up, so that what they read
   * to catch up can be read.
   */
  private catchUp = false;
  /** Redis's clock minus this machine's (ms), measured on each new command connection: see append's deadline. */
  private clockOffset = 0;

  private constructor(
    url: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: RedisStoreOptions,
  ) {
    this.location = options.shownAs ?? url;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    const database = new URL(url).pathname.slice(1) || "0";
    this.channel = `${this.prefix}events@${database}`;
    this.hereChannel = `${this.prefix}here@${database}`;
    this.maxHistory = options.maxHistory ?? Number.POSITIVE_INFINITY;
    this.roomStatsDays = options.roomStatsDays ?? 30;
    this.commands = new RedisLink(url, {
      opened: (client) => this.measureClock(client),
      up: () => this.linkUp(this.commands),
      down: (error, wasUp) => this.linkDown(this.commands, error, wasUp),
    }, options.tls);
    this.feed = new RedisLink(url, {
      // A new connection subscribes with a handler of its own: never two on one client.
      opened: (client) =>
        Promise.all([
          client.subscribe(this.channel, (message) => this.published(message)),
          client.subscribe(this.hereChannel, (room) => {
            for (const listener of this.hereListeners) listener(room);
          }),
        ]).then(() => {}),
      up: () => {
        // Changes published while it was away are gone: whoever follows the feed catches up.
        if (!this.opening) this.catchUp = true;
        for (const [id, state] of this.own) if (state === "told") this.own.delete(id);
        this.linkUp(this.feed);
      },
      down: (error, wasUp) => this.linkDown(this.feed, error, wasUp),
    }, options.tls);
  }

  /**
   * Connects both links. Never throws: with Redis unreachable the store is opened anyway,
   * says so in one log line, fails every call until Redis answers, and then tells its
   * subscribers to catch up (`missed`), as after any lost connection.
   */
  static async open(url: string, clock: Clock, logger: Logger, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const store = new RedisStore(url, clock, logger, options);
    await Promise.all([store.commands.start(), store.feed.start()]);
    store.opening = false;
    if (store.down.size > 0) {
      const [link] = store.down;
      logger.log("warn", "redis unreachable; health checks and changes answer 503 until it answers", { redis: store.location, error: link!.failure });
      // What the server could not read at start, it reads once Redis answers.
      store.catchUp = true;
    }
    return store;
  }

  private linkUp(link: RedisLink): void {
    const wasDown = this.down.delete(link);
    if (this.down.size > 0) return;
    if (wasDown) this.logger.log("info", "redis connected", { redis: this.location });
    if (!this.catchUp) return;
    this.catchUp = false;
    for (const missed of this.missedListeners) missed();
  }

  private linkDown(link: RedisLink, error: Error, wasUp: boolean): void {
    const first = this.down.size === 0;
    this.down.add(link);
    if (wasUp && first) this.logger.log("warn", "redis connection lost; reconnecting", { redis: this.location, error: error.message });
  }

  private published(message: string): void {
    if (message.startsWith(this.ownTag)) {
      const id = Number(message.slice(this.ownTag.length, message.indexOf(",", this.ownTag.length)));
      const state = this.own.get(id);
      if (state === "told") return void this.own.delete(id);
      if (state === "sent") this.own.set(id, "heard");
    }
    let event: RoomEvent;
    try {
      event = JSON.parse(message) as RoomEvent;
    } catch {
      return;
    }
    // The settings another instance decided are read back like stored ones: typed, once.
    if (event.change.kind === "settings") event.change.settings = decodeSettings(event.change.settings);
    for (const listener of this.listeners) listener(event);
  }

  /** One call on the command connection, failing with StoreUnavailable when Redis cannot answer in time. */
  private call<T>(run: (client: Bun.RedisClient) => Promise<T>): Promise<T> {
    const client = this.commands.client;
    if (client === null) return Promise.reject(new StoreUnavailable(`redis at ${this.location} is not connected: ${this.commands.failure}`));
    const answer = run(client).catch((error: unknown) => {
      throw new StoreUnavailable(`redis at ${this.location}: ${(error as Error).message}`, { cause: error });
    });
    return inTime(answer, () => {
      throw new StoreUnavailable(`redis at ${this.location} did not answer within ${CALL_TIMEOUT_MS} ms`);
    });
  }

  /** Runs a script by its digest, sending it whole the first time after Redis restarted. */
  private run(script: Script, args: string[]): Promise<unknown> {
    return this.call((client) =>
      client.evalsha(script.sha, 0, this.prefix, ...args).catch((error: Error) => {
        if (!error.message.startsWith("NOSCRIPT")) throw error;
        return client.eval(script.source, 0, this.prefix, ...args);
      }),
    );
  }

  readRoom(name: string): Promise<RoomState> {
    return this.read(name, "0");
  }

  /** The room with its history from element `first` on (see READ_ROOM). */
  private async read(name: string, first: "0" | "-1"): Promise<RoomState> {
    const [seq, goal, elements, settings, cursor] = (await this.reads.call([name, first])) as [number, string, string[], string, string];
    const history = elements.map((element) => JSON.parse(element.slice(element.indexOf(" ") + 1)) as TimerRequest);
    const state: RoomState = { name, history, goal: goal === "" ? NO_GOAL : JSON.parse(goal), seq, settings: settings === "" ? null : decodeSettings(JSON.parse(settings)) };
    // Decoded as an import's is: a cursor that is not one counts the room from scratch.
    const decoded = cursor === "" ? undefined : decodeCursor(JSON.parse(cursor));
    if (decoded) state.statsCursor = decoded;
    return state;
  }

  /**
   * Counts as the scripts' countRotation takes them, each with how long its day is still
   * kept (ms): by this store's clock, as everything else it keeps, not Redis's.
   */
  private rotationCounts(counts: readonly StatsCount[]): string {
    const keptUntil = (day: string) => Date.parse(day) + this.roomStatsDays * DAY_MS - this.clock.now();
    return JSON.stringify(counts.map((c) => [c.day, c.person, c.field, c.op, String(c.value), String(Math.max(1, keptUntil(c.day)))]));
  }

  /** Names taken out, as APPEND's forgetPerson takes them: with the days kept now, and each field's op. */
  private forgetting(names: string[] | undefined): string {
    if (!names?.length) return "";
    const now = this.clock.now();
    return JSON.stringify({ names, days: daysBetween(firstDay(now, this.roomStatsDays), firstDay(now, 1)), ops: COUNT_OPS });
  }

  async readRoomStats(name: string, from: string, to: string): Promise<StatsRow[]> {
    const days = daysBetween(from, to);
    const found = (await this.run(READ_ROOM_STATS, [name, ...days])) as [string, string[]][];
    const rows: StatsRow[] = [];
    for (const [day, fields] of found) {
      for (let i = 0; i < fields.length; i += 2) {
        const field = fields[i]!;
        const split = field.indexOf(":");
        rows.push({ day, person: field.slice(split + 1), field: field.slice(0, split) as CountField, value: Number(fields[i + 1]) });
      }
    }
    return rows;
  }

  async importRoomStats(name: string, rows: StatsRow[]): Promise<void> {
    const now = this.clock.now();
    const days = daysBetween(firstDay(now, this.roomStatsDays), firstDay(now, 1));
    // Each row is a day's whole value: added to nothing.
    const counts = rows.map((row): StatsCount => ({ ...row, op: "add" }));
    await this.run(IMPORT_ROOM_STATS, [name, JSON.stringify(days), this.rotationCounts(counts)]);
  }

  async append(name: string, change: RoomChange, seq: number, tally?: StatsTally): Promise<AppendResult> {
    const event: RoomEvent = { room: name, seq, change };
    let value = "";
    let ms = 0;
    let ends = 0;
    switch (change.kind) {
      case "timer":
      case "break":
        value = JSON.stringify(change.entry);
        ms = Date.parse(change.entry.requested);
        ends = ms + change.entry.timer * 60_000;
        break;
      case "goal-set":
      case "goal-deleted":
        value = JSON.stringify(change.goal);
        ms = Date.parse(change.goal.requested!);
        break;
      case "history-expired":
        ms = change.cutoff;
        break;
      case "settings":
        if (change.settings !== null) value = JSON.stringify(change.settings);
        break;
    }
    const kind = change.kind === "timer" || change.kind === "break" ? "entry" : change.kind;
    const maxHistory = Number.isFinite(this.maxHistory) ? String(this.maxHistory) : "0";
    const id = ++this.lastOwn;
    const args = [name, String(seq), kind, value, String(ms), String(ends), maxHistory, isoTime(this.clock.now()), `${this.ownTag}${id},${JSON.stringify(event).slice(1)}`, this.channel];
    // A change that reaches Redis after its answer may have been given up on (503) is not
    // made: a client told "not made, try again" must not find it made later. Half the call
    // timeout leaves the other half for the answer to come back.
    const deadline = String(Date.now() + this.clockOffset + CALL_TIMEOUT_MS / 2);
    this.own.set(id, "sent");
    let stored: number | "late" | undefined;
    try {
      const rotation = tally ? [JSON.stringify(tally.cursor), this.rotationCounts(tally.counts), this.forgetting(tally.forget)] : ["", "[]", ""];
      stored = (await this.appends.call([...args, deadline, ...rotation, ...statsFields(change)])) as number | "late";
    } finally {
      this.answered(id, stored === -1, event);
    }
    if (stored === "late") throw new StoreUnavailable(`redis at ${this.location} received the change too late to make it`);
    if (stored === -1) return { ok: true };
    await this.feedCaughtUp();
    return { ok: false, seq: stored };
  }

  /**
   * Redis answered own change `id` (`made` or not), or did not (then only the feed can tell
   * whether it was made): subscribers are told of a change made now, unless the feed told
   * them first.
   */
  private answered(id: number, made: boolean, event: RoomEvent): void {
    const heard = this.own.get(id) === "heard";
    this.own.delete(id);
    if (!made || heard) return;
    this.own.set(id, "told");
    for (const listener of this.listeners) listener(event);
  }

  /** Redis's clock against this machine's, to within half the round trip of one TIME. */
  private async measureClock(client: Bun.RedisClient): Promise<void> {
    const sent = Date.now();
    const [seconds, micros] = (await client.send("TIME", [])) as [string, string];
    this.clockOffset = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (sent + Date.now()) / 2;
  }

  /**
   * Resolves once the feed has delivered every change published before now. The change that
   * took a number first was published before the conflict's answer, but on the feed's own
   * connection, whose messages may arrive later: without this, the core would find its copy
   * behind and read the room anew, finding later changes too, and its listeners would have
   * to start over. Redis answers a PING on a connection after the messages it sent there
   * before.
   */
  private async feedCaughtUp(): Promise<void> {
    const feed = this.feed.client;
    if (feed === null) return;
    await inTime(feed.ping().then(() => {}, () => {}), () => {});
  }

  async roomNames(): Promise<string[]> {
    return (await this.run(ROOM_NAMES, [])) as string[];
  }

  async importRoom(state: RoomState): Promise<void> {
    const history = state.history.slice(-this.maxHistory);
    const latest = history[history.length - 1];
    const deletedAt = state.goal.goal === null && state.goal.requested !== null ? String(Date.parse(state.goal.requested)) : "";
    await this.run(IMPORT_ROOM, [
      state.name,
      String(state.seq),
      state.goal.requested === null ? "" : JSON.stringify(state.goal),
      deletedAt,
      latest ? String(endOf(latest)) : "",
      state.settings === null ? "" : JSON.stringify(state.settings),
      state.statsCursor ? JSON.stringify(state.statsCursor) : "",
      ...history.map((entry) => `${Date.parse(entry.requested)} ${JSON.stringify(entry)}`),
    ]);
  }

  async importStats(snapshot: StatsSnapshot): Promise<void> {
    const fields: string[] = ["since", snapshot.since, "goals", String(snapshot.goals)];
    for (const [minutes, count] of Object.entries(snapshot.timers)) fields.push(`timer:${minutes}`, String(count));
    for (const [minutes, count] of Object.entries(snapshot.breaks)) fields.push(`break:${minutes}`, String(count));
    for (const [day, count] of Object.entries(snapshot.days)) fields.push(`day:${day}`, String(count));
    snapshot.hours.forEach((count, hour) => fields.push(`hour:${hour}`, String(count)));
    await this.run(IMPORT_STATS, fields);
  }

  roomCount(): Promise<number> {
    return this.call((client) => client.scard(`${this.prefix}rooms`));
  }

  async runningRooms(now: number, withSettings = false): Promise<RoomState[]> {
    const names = (await this.run(RUNNING_ROOMS, [String(now), withSettings ? "1" : ""])) as string[];
    return Promise.all(names.map((name) => this.read(name, "-1")));
  }

  async readStats(now: number): Promise<StatsSnapshot> {
    const fields = (await this.call((client) => client.hgetall(`${this.prefix}stats`))) as Record<string, string>;
    const snapshot: StatsSnapshot = { since: fields.since ?? isoTime(now), timers: {}, breaks: {}, goals: 0, days: {}, hours: Array.from({ length: 24 }, () => 0) };
    const firstDay = firstKeptDay(now);
    for (const [field, raw] of Object.entries(fields)) {
      const count = Number(raw);
      const [kind, key] = field.split(":") as [string, string];
      if (kind === "timer") snapshot.timers[key] = count;
      else if (kind === "break") snapshot.breaks[key] = count;
      else if (kind === "goals") snapshot.goals = count;
      else if (kind === "day" && key >= firstDay) snapshot.days[key] = count;
      else if (kind === "hour") snapshot.hours[Number(key)] = count;
    }
    return sortedSnapshot(snapshot);
  }

  async emptiedRooms(cutoff: number): Promise<string[]> {
    return (await this.run(EMPTIED_ROOMS, [String(cutoff)])) as string[];
  }

  async expire(cutoff: number, now: number): Promise<void> {
    await this.run(EXPIRE, [String(cutoff), String(now), firstKeptDay(now)]);
  }

  async shareCounts(listeners: number, ttlMs: number, now: number): Promise<SharedCounts> {
    const [otherListeners, running] = (await this.run(SHARE_COUNTS, [this.instance, String(listeners), String(now + ttlMs), String(now)])) as [number, number];
    return { otherListeners, running };
  }

  async takeToken(bucket: string, key: string, capacity: number, windowMs: number, now: number): Promise<number> {
    return Number(await this.tokens.call([bucket, key, String(capacity), String(windowMs), String(now)]));
  }

  async reportHere(instance: string, room: string, names: readonly string[], until: number, now: number): Promise<void> {
    await this.run(REPORT_HERE, [instance, room, names.length === 0 ? "" : JSON.stringify(names), String(until), String(now), this.hereChannel]);
  }

  async renewHere(instance: string, until: number, now: number): Promise<boolean> {
    return (await this.run(RENEW_HERE, [instance, String(until), String(now)])) === 1;
  }

  async readHere(room: string, now: number): Promise<string[]> {
    const reports = (await this.run(READ_HERE, [room, String(now)])) as string[];
    return mergedNames(reports.map((names) => JSON.parse(names) as string[]));
  }

  subscribeHere(changed: (room: string) => void): () => void {
    this.hereListeners.add(changed);
    return () => this.hereListeners.delete(changed);
  }

  subscribe(listener: (event: RoomEvent) => void, missed?: () => void): () => void {
    this.listeners.add(listener);
    if (missed) this.missedListeners.add(missed);
    return () => {
      this.listeners.delete(listener);
      if (missed) this.missedListeners.delete(missed);
    };
  }

  /** A real write, so that a Redis that only reads (a replica, a full disk with AOF) fails too. */
  async check(): Promise<void> {
    // Without its feed an instance would not hear of other instances' changes.
    if (this.feed.client === null) throw new StoreUnavailable(`redis at ${this.location}: the connection that follows changes is down: ${this.feed.failure}`);
    await this.call((client) => client.set(`${this.prefix}health`, isoTime(this.clock.now())));
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.missedListeners.clear();
    this.hereListeners.clear();
    this.commands.close();
    this.feed.close();
  }
}

/** `work`, or what `late()` gives or throws once it has taken longer than CALL_TIMEOUT_MS. */
function inTime<T>(work: Promise<T>, late: () => T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, CALL_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The statistics fields one change counts one each in (see StatsCounter). */
function statsFields(change: RoomChange): string[] {
  const count = statsCount(change);
  if (count === null) return [];
  if (count.kind === "goal") return ["goals"];
  return [`${count.kind}:${count.minutes}`, `day:${count.day}`, `hour:${count.hour}`];
}
