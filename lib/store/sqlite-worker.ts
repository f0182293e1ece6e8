// The thread that owns the SQLite connection: every read and every commit runs here, so the
// server's event loop never waits for the disk. Batches that arrive while a commit syncs
// are committed together (group commit): one transaction and one sync for all their writes,
// each write in its own savepoint so that one that fails is refused alone.
import { Database, type Statement } from "bun:sqlite";
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { GoalState, RoomChange, TimerRequest, TimerType } from "../domain/changes.ts";
import type { RoomState } from "../domain/room.ts";
import { decodeSettings } from "../domain/settings.ts";
import { firstKeptDay, sortedSnapshot, StatsCounter, statsCount, type StatsCount, type StatsSnapshot } from "../domain/stats.ts";
import { COUNT_OPS, decodeCursor, SOMEONE, type StatsTally } from "../domain/rotation-count.ts";
import { firstDay, type StatsRow } from "../domain/rotation-stats.ts";
import { migrate, MIGRATIONS } from "./migrations.ts";
import { STORED, WRITES, type Reply, type Request, type RunningSlice } from "./sqlite-protocol.ts";

declare var self: Worker;

interface RoomRow {
  seq: number;
  /** The id of the room's latest entry (see CHAIN); null before its first. */
  last: number | null;
  goal: string | null;
  goal_user: string | null;
  goal_requested: string | null;
  entries: number;
  settings: string | null;
  stats_cursor: string | null;
}

interface HistoryRow {
  timer: number;
  requested: string;
  user: string | null;
  next_user: string | null;
  type: TimerType;
}

/** An entry after the last fold, as the worker reads them back (see fold()). */
interface UnfoldedRow {
  id: number;
  room: string;
  seq: number;
  timer: number;
  requested: string;
  type: TimerType;
}

/** A room's number, its entries' count and its latest entry's id. */
interface Head {
  seq: number;
  entries: number;
  last: number;
}

/** A room with its latest entry: what the start's look at stored rooms reads. */
type LatestRow = Omit<RoomRow, "entries" | "stats_cursor"> & HistoryRow & { name: string; requested_ms: number };

/**
 * How long one slice of the look at running rooms holds the worker at most (a page of rooms
 * more): health checks, changes and reads queued meanwhile are answered between two slices.
 */
const SLICE_MS = 50;
/** Rooms read per statement within a slice: one index lookup each for its latest entry. */
const PAGE_ROOMS = 200;

/**
 * Room ?1's entries, newest first, at most ?2 of them: from its latest entry, ?3, along
 * each entry's `prev` (migration 7). The latest is the caller's, as the room's row may not
 * name it yet (see fold()). Every step must find an entry of this room with a smaller id,
 * so an id that SQLite gives again after its entry was deleted neither joins another
 * room's entries nor loops; a deleted entry ends the walk.
 */
const CHAIN = `WITH RECURSIVE chain(id, prev, n) AS (
    SELECT h.id, h.prev, 1 FROM history AS h WHERE h.id = ?3 AND h.room = ?1
    UNION ALL
    SELECT h.id, h.prev, c.n + 1 FROM chain AS c JOIN history AS h ON h.id = c.prev AND h.room = ?1
      WHERE c.prev < c.id AND c.n < ?2)`;
/** A walk's length for "all of the room's entries". */
const WALK_ALL = Number.MAX_SAFE_INTEGER;

/** A file as the kernel knows it: another file at the same path is another file. */
interface Identity {
  dev: number;
  ino: number;
}

function identityOf(path: string): Identity | null {
  try {
    const { dev, ino } = statSync(path);
    return { dev, ino };
  } catch {
    return null;
  }
}

/**
 * One server owns a data directory: it holds this file beside the database locked for as
 * long as it runs, so that a second server started on the directory is refused instead of
 * keeping a second, diverging copy of the rooms. The database itself stays open to readers
 * (an export, a backup) meanwhile.
 */
function takeOwnership(path: string): Database {
  // Creating the directory here, with node:fs, keeps node:fs out of the main thread.
  mkdirSync(dirname(path), { recursive: true });
  const owner = new Database(`${path}-owner`, { create: true, readwrite: true });
  try {
    // Nothing in it needs keeping: its journal stays in memory, not in a file beside it.
    owner.run("PRAGMA journal_mode = MEMORY");
    owner.run("PRAGMA locking_mode = EXCLUSIVE");
    // The first write takes the lock, and the exclusive locking mode keeps it until close.
    owner.run("CREATE TABLE IF NOT EXISTS owner (pid INTEGER)");
    owner.run("DELETE FROM owner");
    owner.run("INSERT INTO owner (pid) VALUES (?)", [process.pid]);
    return owner;
  } catch (error) {
    owner.close();
    if (/locked|busy/i.test((error as Error).message)) throw new Error("another mob-timer server is using this data directory");
    throw error;
  }
}

/** The database as a server opens it: created if missing, its schema brought up to date. */
function openDatabase(path: string, now: number): Database {
  const db = new Database(path, { create: true, readwrite: true, strict: true });
  try {
    // Only takes effect on a new file; lets expire() give freed pages back to the disk.
    db.run("PRAGMA auto_vacuum = INCREMENTAL");
    db.run("PRAGMA journal_mode = WAL");
    // A 202 promises that the change is kept. In WAL mode, NORMAL survives a crash of the
    // process (kill -9) but may lose the latest commits on power loss or a kernel crash;
    // FULL syncs the log on every commit and survives those too. Group commit shares one
    // sync among every write of a batch, which keeps FULL affordable.
    db.run("PRAGMA synchronous = FULL");
    migrate(db);
    db.run("INSERT OR IGNORE INTO stats (id, since, goals) VALUES (1, ?, 0)", [new Date(now).toISOString()]);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The database as an export reads it beside a running server: read only, of this version's schema. */
function openForReading(path: string): Database {
  const db = new Database(path, { readonly: true, strict: true });
  try {
    const version = db.query<{ version: number }, []>("SELECT version FROM schema_version").get()?.version;
    if (version !== MIGRATIONS.length) throw new Error(`its schema version ${version} is not this build's (${MIGRATIONS.length}); start this version's server on it once first`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function prepare(db: Database) {
  return {
    begin: db.prepare("BEGIN"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    savepoint: db.prepare("SAVEPOINT change"),
    release: db.prepare("RELEASE change"),
    undo: db.prepare("ROLLBACK TO change"),

    room: db.prepare<RoomRow, [string]>("SELECT seq, last, goal, goal_user, goal_requested, entries, settings, stats_cursor FROM rooms WHERE name = ?"),
    // The room's latest ?2 entries from ?3, oldest first.
    history: db.prepare<HistoryRow, [string, number, number]>(
      `${CHAIN} SELECT h.timer, h.requested, h.user, h.next_user, h.type FROM chain AS c JOIN history AS h ON h.id = c.id ORDER BY c.id`,
    ),
    floor: db.prepare<{ floor: number }, []>("SELECT floor FROM store_state"),
    roomCount: db.prepare<{ count: number }, []>("SELECT count(*) AS count FROM rooms"),
    roomNames: db.prepare<{ name: string }, []>("SELECT name FROM rooms"),
    // Rooms in name order from ?1, each with its latest entry (rooms.last): a look at
    // running rooms costs one lookup per room whatever their histories hold, and goes on
    // from where its last slice stopped. With ?3 = 1, only rooms with settings.
    latest: db.prepare<LatestRow, [string, number, number]>(
      `SELECT r.name, r.seq, r.last, r.goal, r.goal_user, r.goal_requested, r.settings,
              h.timer, h.requested, h.requested_ms, h.user, h.next_user, h.type
         FROM rooms AS r JOIN history AS h ON h.id = r.last AND h.room = r.name
         WHERE r.name > ?1 AND (?3 = 0 OR r.settings IS NOT NULL) ORDER BY r.name LIMIT ?2`,
    ),
    entry: db.prepare<HistoryRow & { requested_ms: number }, [number]>("SELECT timer, requested, requested_ms, user, next_user, type FROM history WHERE id = ?"),
    unfolded: db.prepare<UnfoldedRow, [number]>("SELECT id, room, seq, timer, requested, type FROM history WHERE id > ? ORDER BY id"),
    folded: db.prepare<{ folded: number }, []>("SELECT folded FROM store_state"),
    markFolded: db.prepare<{ folded: number }, []>("UPDATE store_state SET folded = (SELECT coalesce(max(id), 0) FROM history) RETURNING folded"),
    since: db.prepare<{ since: string; goals: number }, []>("SELECT since, goals FROM stats"),
    counts: db.prepare<{ type: TimerType; minutes: number; count: number }, []>("SELECT type, minutes, count FROM stats_counts"),
    days: db.prepare<{ day: string; count: number }, [string]>("SELECT day, count FROM stats_days WHERE day >= ?"),
    hours: db.prepare<{ hour: number; count: number }, []>("SELECT hour, count FROM stats_hours"),

    insertEntry: db.prepare(
      `INSERT INTO history (room, requested_ms, timer, requested, user, next_user, type, prev, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertHead: db.prepare(
      `INSERT INTO rooms (name, seq, entries, last) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, entries = excluded.entries, last = excluded.last`,
    ),
    upsertGoal: db.prepare(
      `INSERT INTO rooms (name, seq, goal, goal_user, goal_requested) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, goal = excluded.goal,
         goal_user = excluded.goal_user, goal_requested = excluded.goal_requested`,
    ),
    upsertSettings: db.prepare(
      "INSERT INTO rooms (name, seq, settings) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, settings = excluded.settings",
    ),
    upsertSeq: db.prepare("INSERT INTO rooms (name, seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq"),
    // Entries of room ?1 beyond its latest ?4 (?2: WALK_ALL).
    dropBeyond: db.prepare(`DELETE FROM history WHERE id IN (${CHAIN} SELECT id FROM chain WHERE n > ?4)`),
    trimRoom: db.prepare(`DELETE FROM history WHERE id IN (${CHAIN} SELECT id FROM chain) AND requested_ms < ?4`),
    lessEntries: db.prepare("UPDATE rooms SET entries = entries - ? WHERE name = ?"),
    // Room.trim's rule: a goal deletion is shown for as long as history is kept.
    staleDeletion: db.prepare(
      "UPDATE rooms SET goal_user = NULL, goal_requested = NULL WHERE name = ? AND goal IS NULL AND goal_requested < ?",
    ),
    staleDeletions: db.prepare(
      "UPDATE rooms SET goal_user = NULL, goal_requested = NULL WHERE goal IS NULL AND goal_requested < ?",
    ),
    // Room.isEmpty's rule; the forgotten room's number raises the floor.
    forgetRoom: db.prepare<{ seq: number }, [string]>(
      "DELETE FROM rooms WHERE name = ? AND entries = 0 AND goal_requested IS NULL AND settings IS NULL RETURNING seq",
    ),
    forgetRooms: db.prepare<{ seq: number }, []>("DELETE FROM rooms WHERE entries = 0 AND goal_requested IS NULL AND settings IS NULL RETURNING seq"),
    raiseFloor: db.prepare("UPDATE store_state SET floor = max(floor, ?)"),
    // Rooms with entries the cutoff removes: how many, and how many the room's row counts up to its latest.
    expiring: db.prepare<{ room: string; count: number; entries: number; last: number | null }, [number]>(
      `SELECT h.room, count(*) AS count, max(rooms.entries) AS entries, max(rooms.last) AS last FROM history AS h INDEXED BY history_by_time
         JOIN rooms ON rooms.name = h.room WHERE h.requested_ms < ? GROUP BY h.room`,
    ),
    deleteHistory: db.prepare("DELETE FROM history WHERE requested_ms < ?"),
    deleteDays: db.prepare("DELETE FROM stats_days WHERE day < ?"),
    vacuum: db.prepare("PRAGMA incremental_vacuum"),

    countTimers: db.prepare(
      `INSERT INTO stats_counts (type, minutes, count) VALUES (?, ?, ?)
       ON CONFLICT (type, minutes) DO UPDATE SET count = count + excluded.count`,
    ),
    countDay: db.prepare("INSERT INTO stats_days (day, count) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET count = count + excluded.count"),
    countHour: db.prepare("INSERT INTO stats_hours (hour, count) VALUES (?, ?) ON CONFLICT (hour) DO UPDATE SET count = count + excluded.count"),
    countGoals: db.prepare("UPDATE stats SET goals = goals + ?"),

    deleteRoom: db.prepare("DELETE FROM rooms WHERE name = ?"),
    deleteRoomHistory: db.prepare(`DELETE FROM history WHERE id IN (${CHAIN} SELECT id FROM chain)`),
    insertRoom: db.prepare(
      "INSERT INTO rooms (name, seq, last, goal, goal_user, goal_requested, entries, settings, stats_cursor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    setCursor: db.prepare("UPDATE rooms SET stats_cursor = ? WHERE name = ?"),
    // Each count merged as rotation-count.ts's op says: a sum, the least or the most.
    countRoomStat: db.prepare(
      `INSERT INTO room_stats (room, day, person, field, value) VALUES (?1, ?2, ?3, ?4, ?6)
       ON CONFLICT (room, day, person, field) DO UPDATE SET value = CASE ?5
         WHEN 'min' THEN min(value, excluded.value) WHEN 'max' THEN max(value, excluded.value) ELSE value + excluded.value END`,
    ),
    roomStats: db.prepare<StatsRow, [string, string, string]>("SELECT day, person, field, value FROM room_stats WHERE room = ? AND day BETWEEN ? AND ?"),
    clearRoomStats: db.prepare("DELETE FROM room_stats WHERE room = ?"),
    personStats: db.prepare<StatsRow, [string, string]>("SELECT day, person, field, value FROM room_stats WHERE room = ? AND person = ?"),
    deletePersonStats: db.prepare("DELETE FROM room_stats WHERE room = ? AND person = ?"),
    deleteRoomStatsDays: db.prepare("DELETE FROM room_stats WHERE day < ?"),
    setStats: db.prepare("UPDATE stats SET since = ?, goals = ?"),
    clearCounts: db.prepare("DELETE FROM stats_counts"),
    clearDays: db.prepare("DELETE FROM stats_days"),
    clearHours: db.prepare("DELETE FROM stats_hours"),
    // A write that changes a page, so that the health check's commit reaches the disk.
    check: db.prepare("UPDATE store_state SET checks = checks + 1"),
  };
}

type Statements = ReturnType<typeof prepare>;

const NO_GOAL: GoalState = { goal: null, user: null, requested: null };

function latestState(row: LatestRow): RoomState {
  const entry: TimerRequest = { timer: row.timer, requested: row.requested, user: row.user, nextUser: row.next_user, type: row.type };
  const settings = row.settings === null ? null : decodeSettings(JSON.parse(row.settings));
  return { name: row.name, history: [entry], goal: { goal: row.goal, user: row.goal_user, requested: row.goal_requested }, seq: row.seq, settings };
}

/**
 * A room at the history cap keeps up to a quarter more entries on disk (never read), so that
 * its oldest are dropped in one walk of its entries per quarter of the cap, not per change.
 */
const OVER_CAP = 4;

/** Rooms whose number the worker keeps in memory at most: each costs about 100 bytes. */
const KNOWN_ROOMS = 10_000;

/**
 * Timers appended since the last fold that start the next one: it rewrites each of their
 * rooms' rows once, where each timer would have rewritten its own, and its size bounds what
 * a start reads back (about a millisecond per thousand entries).
 */
const FOLD_ENTRIES = 4096;

/** What a timer or break entry adds to the statistics: the count of the change that made it. */
function entryCount({ timer, requested, type }: Pick<TimerRequest, "timer" | "requested" | "type">): StatsCount {
  const entry = { timer, requested, user: null, nextUser: null, type };
  return statsCount(type === "TIMER" ? { kind: "timer", entry } : { kind: "break", entry })!;
}

class SqliteFile {
  private readonly sql: Statements;
  /** The files written to, as opened: a different file at either path means the data went elsewhere. */
  private readonly database: Identity;
  private log: Identity | null = null;
  /** store_state's floor as last read; only this thread writes it. */
  private knownFloor: number | null = null;
  /**
   * The number and entry count of rooms as their rows on disk have them (only this thread
   * writes): a timer, the change nearly every write is, then reads no row.
   */
  private readonly known = new Map<string, Head>();
  /**
   * Rooms whose row lags their history: a timer appends its entry, with the room's number,
   * and leaves the room's row to the next fold (see fold()). Ahead of `known`.
   */
  private readonly unfolded = new Map<string, Head>();
  /** What the entries after the last fold add to the statistics. */
  private unfoldedCounts = new StatsCounter("");
  private unfoldedEntries = 0;
  /**
   * store_state.folded: rooms' rows and the statistics account for every entry up to it.
   * Null when the unfolded state must be read back from the history first (see recover()).
   */
  private folded: number | null = null;
  /** The last entry read back into the unfolded state. */
  private readBackThrough = 0;

  /** Set once the file was deleted or replaced: every later write is refused with it. */
  private lost: string | null = null;

  constructor(
    private readonly db: Database,
    private readonly path: string,
    private readonly maxHistory: number,
    /** Days a team's rotation counts are kept (ROOM_STATS_DAYS). */
    private readonly roomStatsDays: number,
    /** The lock of the data directory (see takeOwnership); none when only reading. */
    private readonly owner: Database | null,
  ) {
    this.sql = prepare(db);
    this.database = identityOf(path)!;
  }

  private floor(): number {
    this.knownFloor ??= this.sql.floor.get()!.floor;
    return this.knownFloor;
  }

  private raiseFloor(seq: number): void {
    this.sql.raiseFloor.run(seq);
    // Read again next time: a commit that fails takes the raise back.
    this.knownFloor = null;
  }

  /**
   * Reads rooms, the floor and the unfolded state anew: what a write that was undone, or one
   * of many rooms, leaves unknown.
   */
  private forgetKnown(): void {
    this.knownFloor = null;
    this.known.clear();
    this.folded = null;
  }

  /**
   * The unfolded state, read back from the entries after store_state.folded when it is not
   * known: at the first operation after open, after an undo, and before each read of a
   * database another process writes (then inside the read's transaction).
   */
  private recover(): void {
    if (this.folded !== null) return;
    this.unfolded.clear();
    this.clearUnfoldedCounts();
    const folded = this.sql.folded.get()!.folded;
    this.readBackThrough = folded;
    this.readBack();
    this.folded = folded;
  }

  /** Adds the entries after the last one read back to the unfolded state. */
  private readBack(): void {
    for (const row of this.sql.unfolded.iterate(this.readBackThrough)) {
      this.unfoldedCounts.add(entryCount(row));
      this.unfoldedEntries++;
      this.readBackThrough = row.id;
      const head = this.unfolded.get(row.room) ?? this.sql.room.get(row.room);
      // An entry at or before the row's latest is one the row already counts.
      if (head && head.last !== null && row.id > head.last) this.unfolded.set(row.room, { seq: row.seq, entries: head.entries + 1, last: row.id });
    }
  }

  /**
   * The room's newer number, entry count and latest entry, while its row lags its history.
   * A reader beside the server may hold a room the server has written since: the row wins.
   */
  private lagging(name: string, rowLast: number | null): Head | undefined {
    const head = this.unfolded.get(name);
    return head && (rowLast === null || head.last > rowLast) ? head : undefined;
  }

  /**
   * Writes the rows of the rooms whose row lags and the statistics of the entries since the
   * last fold, and notes that rooms and statistics account for every entry: before a
   * statement that deletes entries (an entry is never deleted unfolded, so a start finds
   * every one it must count), at close, and each FOLD_ENTRIES timers.
   */
  private fold(): void {
    // After an undo in this transaction, what is unfolded is read back first.
    this.recover();
    // Each room written leaves `unfolded`.
    for (const [name, head] of this.unfolded) this.writeHead(name, head);
    this.count(this.unfoldedCounts);
    this.clearUnfoldedCounts();
    this.folded = this.sql.markFolded.get()!.folded;
  }

  private clearUnfoldedCounts(): void {
    this.unfoldedCounts = new StatsCounter("");
    this.unfoldedEntries = 0;
  }

  /** Writes a room's number, entry count and latest entry to its row at once. */
  private writeHead(name: string, head: Head): void {
    this.sql.upsertHead.run(name, head.seq, head.entries, head.last);
    this.unfolded.delete(name);
    if (this.known.size >= KNOWN_ROOMS) this.known.clear();
    this.known.set(name, head);
  }

  /** The room's row as the history has it: ahead of the row on disk while unfolded. */
  private roomRow(name: string): RoomRow | null {
    const row = this.sql.room.get(name);
    const head = row && this.lagging(name, row.last);
    return row && head ? { ...row, seq: head.seq, entries: head.entries, last: head.last } : row;
  }

  readRoom(name: string): RoomState {
    const row = this.roomRow(name);
    if (!row) return { name, history: [], goal: NO_GOAL, seq: this.floor(), settings: null };
    const history =
      row.last === null
        ? []
        : this.sql.history.all(name, Number.isFinite(this.maxHistory) ? this.maxHistory : WALK_ALL, row.last).map(
            (entry): TimerRequest => ({ timer: entry.timer, requested: entry.requested, user: entry.user, nextUser: entry.next_user, type: entry.type }),
          );
    const settings = row.settings === null ? null : decodeSettings(JSON.parse(row.settings));
    const state: RoomState = { name, history, goal: { goal: row.goal, user: row.goal_user, requested: row.goal_requested }, seq: row.seq, settings };
    // Decoded as an import's is: a cursor that is not one counts the room from scratch.
    const cursor = row.stats_cursor === null ? undefined : decodeCursor(JSON.parse(row.stats_cursor));
    if (cursor) state.statsCursor = cursor;
    return state;
  }

  /** Every count of `person` in room `name` goes under SOMEONE (a name taken out). */
  private forgetPerson(name: string, person: string): void {
    for (const row of this.sql.personStats.all(name, person)) {
      this.sql.countRoomStat.run(name, row.day, SOMEONE, row.field, COUNT_OPS[row.field], row.value);
    }
    this.sql.deletePersonStats.run(name, person);
  }

  readRoomStats(name: string, from: string, to: string): StatsRow[] {
    return this.sql.roomStats.all(name, from, to);
  }

  /** Replaces the room's rotation counts with `rows` (an import). */
  importRoomStats(name: string, rows: readonly StatsRow[]): void {
    this.sql.clearRoomStats.run(name);
    for (const row of rows) this.sql.countRoomStat.run(name, row.day, row.person, row.field, "add", row.value);
  }

  roomCount(): number {
    return this.sql.roomCount.get()!.count;
  }

  /**
   * Rooms named after `after` whose latest timer or break runs at `now`, each with only that
   * entry, for at most SLICE_MS: the rest of the look is asked for from `next`.
   */
  runningRooms(now: number, withSettings: boolean, after: string): RunningSlice {
    const started = performance.now();
    const rooms: RoomState[] = [];
    let cursor = after;
    for (;;) {
      const rows = this.sql.latest.all(cursor, PAGE_ROOMS, withSettings ? 1 : 0);
      for (const row of rows) {
        const latest = this.unfoldedLatest(row);
        if (latest.requested_ms + latest.timer * 60_000 > now) rooms.push(latestState(latest));
      }
      if (rows.length < PAGE_ROOMS) return { rooms, next: null };
      cursor = rows[rows.length - 1]!.name;
      if (performance.now() - started >= SLICE_MS) return { rooms, next: cursor };
    }
  }

  /** The room with its latest entry as the history has it, when its row lags. */
  private unfoldedLatest(row: LatestRow): LatestRow {
    const head = this.lagging(row.name, row.last);
    if (!head) return row;
    return { ...row, ...this.sql.entry.get(head.last)!, seq: head.seq, last: head.last };
  }

  readStats(now: number): StatsSnapshot {
    const { since, goals } = this.sql.since.get()!;
    const snapshot: StatsSnapshot = { since, timers: {}, breaks: {}, goals, days: {}, hours: Array.from({ length: 24 }, () => 0) };
    for (const row of this.sql.counts.all()) (row.type === "TIMER" ? snapshot.timers : snapshot.breaks)[String(row.minutes)] = row.count;
    for (const row of this.sql.days.all(firstKeptDay(now))) snapshot.days[row.day] = row.count;
    for (const row of this.sql.hours.all()) snapshot.hours[row.hour] = row.count;
    // The entries since the last fold, counted in memory.
    const unfolded = this.unfoldedCounts.counts();
    const add = (counts: Record<string, number>, key: string, count: number) => (counts[key] = (counts[key] ?? 0) + count);
    for (const [minutes, count] of unfolded.timers) add(snapshot.timers, String(minutes), count);
    for (const [minutes, count] of unfolded.breaks) add(snapshot.breaks, String(minutes), count);
    for (const [day, count] of unfolded.days) if (day >= firstKeptDay(now)) add(snapshot.days, day, count);
    unfolded.hours.forEach((count, hour) => (snapshot.hours[hour]! += count));
    return sortedSnapshot(snapshot);
  }

  append(name: string, change: RoomChange, seq: number, tally: StatsTally | undefined): typeof STORED | { ok: false; seq: number } {
    const row = this.unfolded.get(name) ?? this.known.get(name) ?? this.sql.room.get(name);
    const stored = row ? row.seq : this.floor();
    if (seq !== stored + 1) return { ok: false, seq: stored };
    switch (change.kind) {
      case "timer":
      case "break":
        this.appendEntry(name, change.entry, seq, row);
        break;
      case "goal-set":
      case "goal-deleted":
        this.settle(name);
        this.known.delete(name);
        this.sql.upsertGoal.run(name, seq, change.goal.goal, change.goal.user, change.goal.requested);
        break;
      case "history-expired": {
        // The only change that can leave a room with nothing: timers add history, goals
        // (set or deleted) leave a time.
        this.fold();
        const last = this.known.get(name)?.last ?? row?.last ?? null;
        this.known.delete(name);
        this.sql.upsertSeq.run(name, seq);
        this.sql.lessEntries.run(this.sql.trimRoom.run(name, WALK_ALL, last, change.cutoff).changes, name);
        this.sql.staleDeletion.run(name, new Date(change.cutoff).toISOString());
        if (this.sql.forgetRoom.get(name)) this.raiseFloor(seq);
        break;
      }
      case "settings":
        this.settle(name);
        this.known.delete(name);
        this.sql.upsertSettings.run(name, seq, change.settings === null ? null : JSON.stringify(change.settings));
        if (change.settings === null && this.sql.forgetRoom.get(name)) this.raiseFloor(seq);
        break;
    }
    if (tally) {
      this.sql.setCursor.run(JSON.stringify(tally.cursor), name);
      for (const count of tally.counts) this.sql.countRoomStat.run(name, count.day, count.person, count.field, count.op, count.value);
      for (const person of tally.forget ?? []) this.forgetPerson(name, person);
    }
    return STORED;
  }

  /**
   * Stores a timer or break as the room's latest entry. Its room's row is left to the next
   * fold, unless it has none to leave: the room's first entry, one past the cap (which drops
   * the oldest), or an id SQLite gave again (at or below the folded one).
   */
  private appendEntry(name: string, entry: TimerRequest, seq: number, row: Head | RoomRow | null): void {
    const last = this.insertEntry(name, entry, seq, row?.last ?? null);
    const head: Head = { seq, entries: (row?.entries ?? 0) + 1, last };
    this.unfoldedCounts.add(entryCount(entry));
    this.unfoldedEntries++;
    const overCap = head.entries > this.maxHistory + Math.ceil(this.maxHistory / OVER_CAP);
    if (row && row.last !== null && last > this.folded! && !overCap) {
      this.unfolded.set(name, head);
      return;
    }
    this.writeHead(name, head);
    if (last <= this.folded! || overCap) this.fold();
    if (overCap) {
      const dropped = this.sql.dropBeyond.run(name, WALK_ALL, last, this.maxHistory).changes;
      this.sql.lessEntries.run(dropped, name);
      this.known.set(name, { ...head, entries: head.entries - dropped });
    }
  }

  /** Writes the room's row now if it lags, for a change that writes the row itself. */
  private settle(name: string): void {
    const head = this.unfolded.get(name);
    if (head) this.writeHead(name, head);
  }

  /** Stores `entry` as room `name`'s latest after entry `prev`, with its number `seq`; answers its id. */
  private insertEntry(name: string, entry: TimerRequest, seq: number | null, prev: number | null): number {
    const { timer, requested, user, nextUser, type } = entry;
    return Number(this.sql.insertEntry.run(name, Date.parse(requested), timer, requested, user, nextUser, type, prev, seq).lastInsertRowid);
  }

  /**
   * Adds a commit's statistics, counted in memory as the changes went in: one statement per
   * length, day and hour instead of three per timer.
   */
  private count(counter: StatsCounter): void {
    const { timers, breaks, goals, days, hours } = counter.counts();
    for (const [minutes, count] of timers) this.sql.countTimers.run("TIMER", minutes, count);
    for (const [minutes, count] of breaks) this.sql.countTimers.run("BREAKTIMER", minutes, count);
    for (const [day, count] of days) this.sql.countDay.run(day, count);
    hours.forEach((count, hour) => count > 0 && this.sql.countHour.run(hour, count));
    if (goals > 0) this.sql.countGoals.run(goals);
  }

  /** Room.emptiedBy's rule: every entry of the room is among those the cutoff removes. */
  emptiedRooms(cutoff: number): string[] {
    return this.sql.expiring
      .all(cutoff)
      .filter((row) => row.count === (this.lagging(row.room, row.last)?.entries ?? row.entries))
      .map((row) => row.room);
  }

  expire(cutoff: number, now: number): void {
    this.fold();
    this.known.clear();
    for (const { room, count } of this.sql.expiring.all(cutoff)) this.sql.lessEntries.run(count, room);
    this.sql.deleteHistory.run(cutoff);
    this.sql.staleDeletions.run(new Date(cutoff).toISOString());
    const forgotten = this.sql.forgetRooms.all();
    if (forgotten.length > 0) this.raiseFloor(Math.max(...forgotten.map((room) => room.seq)));
    this.sql.deleteDays.run(firstKeptDay(now));
    this.sql.deleteRoomStatsDays.run(firstDay(now, this.roomStatsDays));
    this.sql.vacuum.run();
  }

  check(): void {
    this.sql.check.run();
  }

  roomNames(): string[] {
    return this.sql.roomNames.all().map((row) => row.name);
  }

  /** Replaces the room with `state` (an import): nothing is counted, and a room left with nothing is forgotten. */
  importRoom(state: RoomState): void {
    this.fold();
    const row = this.known.get(state.name) ?? this.sql.room.get(state.name);
    this.known.delete(state.name);
    const history = state.history.slice(-this.maxHistory);
    this.sql.deleteRoomHistory.run(state.name, WALK_ALL, row?.last ?? null);
    this.sql.deleteRoom.run(state.name);
    let last: number | null = null;
    for (const entry of history) last = this.insertEntry(state.name, entry, null, last);
    const { goal, user, requested } = state.goal;
    const settings = state.settings === null ? null : JSON.stringify(state.settings);
    this.sql.insertRoom.run(state.name, state.seq, last, goal, user, requested, history.length, settings, state.statsCursor ? JSON.stringify(state.statsCursor) : null);
    if (this.sql.forgetRoom.get(state.name)) this.raiseFloor(state.seq);
    // Imported entries count for nothing: folded at once, a start does not count them.
    this.fold();
  }

  /** Replaces the statistics with `snapshot` (an import). */
  importStats(snapshot: StatsSnapshot): void {
    this.fold();
    this.sql.setStats.run(snapshot.since, snapshot.goals);
    for (const statement of [this.sql.clearCounts, this.sql.clearDays, this.sql.clearHours]) statement.run();
    for (const [minutes, count] of Object.entries(snapshot.timers)) this.sql.countTimers.run("TIMER", Number(minutes), count);
    for (const [minutes, count] of Object.entries(snapshot.breaks)) this.sql.countTimers.run("BREAKTIMER", Number(minutes), count);
    for (const [day, count] of Object.entries(snapshot.days)) this.sql.countDay.run(day, count);
    snapshot.hours.forEach((count, hour) => count > 0 && this.sql.countHour.run(hour, count));
  }

  /**
   * Refuses to write when the file at the path is no longer the file written to: writes to
   * a deleted file succeed, and are lost with it at the next start.
   */
  private checkIdentity(): void {
    if (this.lost) throw new Error(this.lost);
    const same = (was: Identity, now: Identity | null) => now !== null && now.dev === was.dev && now.ino === was.ino;
    const log = `${this.path}-wal`;
    if (same(this.database, identityOf(this.path)) && (this.log === null || same(this.log, identityOf(log)))) return;
    this.lost =
      `the database file ${this.path} (or its ${log}) was deleted or replaced while the server ran, ` +
      "so changes can no longer be stored: restore both files from a backup and restart, " +
      "or restart the server to begin a new, empty database";
    throw new Error(this.lost);
  }

  /**
   * Runs `writes` in one transaction, each in its own savepoint, and commits them with one
   * sync. Answers each write's value, or why it failed: alone, or with the whole commit.
   */
  commit(writes: Request[], replies: Reply[]): void {
    try {
      this.checkIdentity();
      // Most commits hold no failing write: they run without a savepoint per write (a third
      // of a write's cost), and only one that meets a failure runs again with them, so that
      // the failing write is refused alone.
      replies.push(...(this.transaction(writes, false) ?? this.transaction(writes, true)!));
    } catch (error) {
      for (const request of writes) replies.push({ id: request.id, error: (error as Error).message });
    }
  }

  /**
   * Runs `writes` in one transaction and commits it with one sync; answers each write's
   * value or why it failed. Unless `isolated`, a write that fails undoes them all and
   * answers null.
   */
  private transaction(writes: Request[], isolated: boolean): Reply[] | null {
    const sql = this.sql;
    const done: Reply[] = [];
    const counter = new StatsCounter("");
    sql.begin.run();
    try {
      for (const request of writes) {
        if (isolated) sql.savepoint.run();
        try {
          const value = this.write(request);
          if (isolated) sql.release.run();
          done.push(value === STORED ? request.id : { id: request.id, value });
          // Counted only once stored: a change refused, or undone, counts for nothing.
          // Timers and breaks count with their entries (see fold()).
          if (value === STORED && request.op === "append" && request.change.kind === "goal-set") counter.add(statsCount(request.change)!);
        } catch (error) {
          if (!isolated) {
            sql.rollback.run();
            this.forgetKnown();
            return null;
          }
          sql.undo.run();
          this.forgetKnown();
          sql.release.run();
          done.push({ id: request.id, error: (error as Error).message });
        }
      }
      this.count(counter);
      if (this.unfoldedEntries >= FOLD_ENTRIES) this.fold();
      sql.commit.run();
      this.log ??= identityOf(`${this.path}-wal`);
      return done;
    } catch (error) {
      if (this.db.inTransaction) sql.rollback.run();
      this.forgetKnown();
      throw error;
    }
  }

  private write(request: Request): unknown {
    this.recover();
    switch (request.op) {
      case "append":
        return this.append(request.name, request.change, request.seq, request.tally);
      case "expire":
        return this.expire(request.cutoff, request.now);
      case "check":
        return this.check();
      case "import-room":
        return this.importRoom(request.state);
      case "import-stats":
        return this.importStats(request.snapshot);
      case "import-room-stats":
        return this.importRoomStats(request.name, request.rows);
      default:
        throw new Error(`${request.op} is not a write`);
    }
  }

  read(request: Request): unknown {
    if (this.owner) {
      this.recover();
      return this.answerRead(request);
    }
    // Beside the server that writes the file: what it appended since the last read is read
    // back first (all of it after a fold), in the read's transaction, so that rows and
    // entries are of one moment.
    return this.db.transaction(() => {
      if (this.sql.folded.get()!.folded !== this.folded) this.folded = null;
      this.recover();
      this.readBack();
      return this.answerRead(request);
    })();
  }

  private answerRead(request: Request): unknown {
    switch (request.op) {
      case "read-room":
        return this.readRoom(request.name);
      case "room-count":
        return this.roomCount();
      case "running-rooms":
        return this.runningRooms(request.now, request.withSettings, request.after);
      case "read-stats":
        return this.readStats(request.now);
      case "room-names":
        return this.roomNames();
      case "read-room-stats":
        return this.readRoomStats(request.name, request.from, request.to);
      case "emptied-rooms":
        return this.emptiedRooms(request.cutoff);
      default:
        throw new Error(`${request.op} is not a read`);
    }
  }

  close(): void {
    if (this.owner) {
      try {
        // Never into a file that replaced the one written to.
        this.checkIdentity();
        this.recover();
        if (this.unfoldedEntries > 0) this.db.transaction(() => this.fold())();
      } catch {
        // Every entry is on disk: the next start reads back what this fold would have written.
      }
    }
    // SQLite keeps a connection, and with it the lock on the file, open until every prepared
    // statement is finalized; close(true) throws instead of leaving it half open.
    for (const statement of Object.values(this.sql) as Statement[]) statement.finalize();
    this.db.close(true);
    this.owner?.close();
  }
}

let file: SqliteFile | null = null;
let queued: Request[] = [];
let scheduled = false;

function send(replies: Reply[]): void {
  if (replies.length > 0) postMessage(JSON.stringify(replies));
}

function answer(request: Request, run: () => unknown): Reply {
  try {
    return { id: request.id, value: run() ?? null };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

/** Everything that arrived since the last run: reads at once, then the writes' one commit. */
function run(): void {
  scheduled = false;
  const batch = queued;
  queued = [];
  const replies: Reply[] = [];
  const writes: Request[] = [];
  for (const request of batch) {
    if (request.op === "open") {
      replies.push(answer(request, () => {
        const { path, now, readOnly } = request;
        const owner = readOnly ? null : takeOwnership(path);
        try {
          file = new SqliteFile(readOnly ? openForReading(path) : openDatabase(path, now), path, request.maxHistory ?? Number.POSITIVE_INFINITY, request.roomStatsDays, owner);
        } catch (error) {
          owner?.close();
          throw error;
        }
      }));
    } else if (!file) {
      replies.push({ id: request.id, error: "the database is not open" });
    } else if (WRITES.has(request.op)) {
      writes.push(request);
    } else if (request.op !== "close") {
      replies.push(answer(request, () => file!.read(request)));
    }
  }
  if (file && writes.length > 0) {
    // Reads do not wait for the sync of the writes that came with them.
    send(replies.splice(0));
    file.commit(writes, replies);
  }
  const closing = batch.find((request) => request.op === "close");
  if (closing) {
    replies.push(answer(closing, () => file?.close()));
    file = null;
  }
  send(replies);
}

// Installed before anything awaits, so that no message sent during start is missed.
self.onmessage = (event: MessageEvent<string>) => {
  queued.push(...(JSON.parse(event.data) as Request[]));
  // Messages that queued up during a commit are all taken before the next one runs.
  if (!scheduled) {
    scheduled = true;
    setImmediate(run);
  }
};
