// The default store: one SQLite file in the data directory. Every change is committed
// before the request that caused it is answered; the changes that arrive in one turn of the
// event loop share a commit (group commit), so they share the cost of syncing it to disk.
import { Database } from "bun:sqlite";
import type { Clock } from "./clock.ts";
import { migrate } from "./migrations.ts";
import type { GoalState, TimerRequest, TimerType } from "./room.ts";
import type { StatsSnapshot } from "./stats.ts";
import { StoreError, type EmptiedRoom, type Store, type StoredRoom, type StoredState } from "./store.ts";

export const DATABASE_FILE = "mob-timer.db";

/**
 * The data directory as an absolute path, for messages that must name the file. Done by
 * hand, like the directory's creation: node:path and node:fs would cost the server 5 MB
 * of memory for its whole life, for these two lines.
 */
function absolute(path: string): string {
  return /^([A-Za-z]:)?[\\/]/.test(path) ? path : `${process.cwd()}/${path.replace(/^\.\//, "")}`;
}

interface RoomRow {
  name: string;
  seq: number;
  goal: string | null;
  goal_user: string | null;
  goal_requested: string | null;
}

interface HistoryRow {
  room: string;
  timer: number;
  requested: string;
  user: string | null;
  next_user: string | null;
  type: TimerType;
}

function openDatabase(path: string, clock: Clock): Database {
  const db = new Database(path, { create: true, readwrite: true, strict: true });
  try {
    // One process owns the file: a second server on the same data directory fails to start
    // instead of keeping a second, diverging copy of the rooms in memory.
    db.run("PRAGMA locking_mode = EXCLUSIVE");
    // Only takes effect on a new file; lets expire() give freed pages back to the disk.
    db.run("PRAGMA auto_vacuum = INCREMENTAL");
    db.run("PRAGMA journal_mode = WAL");
    // A 202 promises that the change is kept. In WAL mode, NORMAL survives a crash of the
    // process (kill -9) but may lose the latest commits on power loss or a kernel crash;
    // FULL syncs the log on every commit and survives those too. Group commit (see
    // commit()) shares one sync among all changes of a turn, which keeps FULL affordable.
    db.run("PRAGMA synchronous = FULL");
    migrate(db);
    db.run("INSERT OR IGNORE INTO stats (id, since, goals) VALUES (1, ?, 0)", [new Date(clock.now()).toISOString()]);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Every write the store makes, prepared once. */
function prepareWrites(db: Database) {
  return {
    insertEntry: db.prepare(
      `INSERT INTO history (room, requested_ms, timer, requested, user, next_user, type)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertSeq: db.prepare("INSERT INTO rooms (name, seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq"),
    upsertGoal: db.prepare(
      `INSERT INTO rooms (name, seq, goal, goal_user, goal_requested) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, goal = excluded.goal,
         goal_user = excluded.goal_user, goal_requested = excluded.goal_requested`,
    ),
    countTimer: db.prepare(
      `INSERT INTO stats_counts (type, minutes, count) VALUES (?, ?, 1)
       ON CONFLICT (type, minutes) DO UPDATE SET count = count + 1`,
    ),
    countGoal: db.prepare("UPDATE stats SET goals = goals + 1"),
    raiseSeq: db.prepare("UPDATE rooms SET seq = max(seq, ?) WHERE name = ?"),
    deleteHistory: db.prepare("DELETE FROM history WHERE requested_ms < ?"),
    // Room.isEmpty's rule. A restart ends every stream, after which the room logic forgets
    // such a room too, so nothing observable is lost with the row.
    deleteEmptyRooms: db.prepare(
      "DELETE FROM rooms WHERE goal IS NULL AND name NOT IN (SELECT room FROM history)",
    ),
    touch: db.prepare("UPDATE stats SET goals = goals"),
  };
}

interface PendingChange {
  change: () => void;
  resolve: () => void;
  reject: (error: StoreError) => void;
}

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  private readonly sql: ReturnType<typeof prepareWrites>;
  /** Changes waiting for the commit at the end of this turn of the event loop. */
  private pending: PendingChange[] = [];

  private constructor(
    private readonly db: Database,
    readonly location: string,
  ) {
    this.sql = prepareWrites(db);
  }

  /**
   * Opens (creating if missing) the database in `dataDir` and brings its schema up to date.
   * `clock` dates the start of the statistics of a new database.
   */
  static async open(dataDir: string, clock: Clock): Promise<SqliteStore> {
    const path = `${absolute(dataDir).replace(/[\\/]+$/, "")}/${DATABASE_FILE}`;
    try {
      // An empty file is an empty SQLite database, and writing it creates the directories.
      if (!(await Bun.file(path).exists())) await Bun.write(path, "");
      return new SqliteStore(openDatabase(path, clock), path);
    } catch (error) {
      throw new StoreError(`cannot open the database ${path}: ${(error as Error).message}`);
    }
  }

  async load(): Promise<StoredState> {
    try {
      return { rooms: this.loadRooms(), stats: this.loadStats() };
    } catch (error) {
      throw new StoreError(`cannot read the database ${this.location}: ${(error as Error).message}`);
    }
  }

  private loadRooms(): StoredRoom[] {
    const rooms = new Map<string, StoredRoom>();
    for (const row of this.db.query<RoomRow, []>("SELECT name, seq, goal, goal_user, goal_requested FROM rooms").all()) {
      const goal: GoalState = { goal: row.goal, user: row.goal_user, requested: row.goal_requested };
      rooms.set(row.name, { name: row.name, history: [], goal, seq: row.seq });
    }
    const history = this.db.query<HistoryRow, []>(
      "SELECT room, timer, requested, user, next_user, type FROM history ORDER BY id",
    );
    for (const row of history.iterate()) {
      const entry: TimerRequest = {
        timer: row.timer,
        requested: row.requested,
        user: row.user,
        nextUser: row.next_user,
        type: row.type,
      };
      rooms.get(row.room)?.history.push(entry);
    }
    return [...rooms.values()];
  }

  private loadStats(): StatsSnapshot {
    const { since, goals } = this.db.query<{ since: string; goals: number }, []>("SELECT since, goals FROM stats").get()!;
    const snapshot: StatsSnapshot = { since, timers: {}, breaks: {}, goals };
    const counts = this.db.query<{ type: TimerType; minutes: number; count: number }, []>(
      "SELECT type, minutes, count FROM stats_counts ORDER BY minutes",
    );
    for (const row of counts.all()) {
      (row.type === "TIMER" ? snapshot.timers : snapshot.breaks)[String(row.minutes)] = row.count;
    }
    return snapshot;
  }

  /** Resolves once `change` is committed; a failure says which file, for the log line. */
  private write(change: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ change, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.commit());
    });
  }

  /**
   * Commits every pending change in one transaction: one sync of the log for all of them.
   * Each change runs in its own savepoint, so one that fails is undone and refused alone.
   */
  private commit(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const failures = new Map<PendingChange, StoreError>();
    const failure = (error: unknown) =>
      new StoreError(`cannot write to the database ${this.location}: ${(error as Error).message}`);
    try {
      this.db.transaction(() => {
        for (const pending of batch) {
          try {
            this.db.transaction(pending.change)();
          } catch (error) {
            failures.set(pending, failure(error));
          }
        }
      })();
    } catch (error) {
      for (const pending of batch) pending.reject(failure(error));
      return;
    }
    for (const pending of batch) {
      const error = failures.get(pending);
      if (error) pending.reject(error);
      else pending.resolve();
    }
  }

  saveTimer(room: string, entry: TimerRequest, seq: number): Promise<void> {
    return this.write(() => {
      this.sql.upsertSeq.run(room, seq);
      this.sql.insertEntry.run(room, Date.parse(entry.requested), entry.timer, entry.requested, entry.user, entry.nextUser, entry.type);
      this.sql.countTimer.run(entry.type, entry.timer);
    });
  }

  saveGoal(room: string, goal: GoalState, seq: number, counted: boolean): Promise<void> {
    return this.write(() => {
      this.sql.upsertGoal.run(room, seq, goal.goal, goal.user, goal.requested);
      if (counted) this.sql.countGoal.run();
    });
  }

  async expire(cutoff: number, emptied: readonly EmptiedRoom[]): Promise<void> {
    await this.write(() => {
      this.sql.deleteHistory.run(cutoff);
      for (const room of emptied) this.sql.raiseSeq.run(room.seq, room.name);
      this.sql.deleteEmptyRooms.run();
    });
    await this.write(() => this.db.run("PRAGMA incremental_vacuum"));
  }

  async check(): Promise<void> {
    // An unlinked database file still takes writes, which a restart would then lose.
    if (!(await Bun.file(this.location).exists())) throw new StoreError(`the database file ${this.location} is gone`);
    await this.write(() => this.sql.touch.run());
  }

  async close(): Promise<void> {
    // Changes already promised to requests are committed before the file closes.
    this.commit();
    // SQLite keeps a connection, and with it the lock on the file, open until every prepared
    // statement is finalized; close(true) throws instead of leaving it half open.
    for (const statement of Object.values(this.sql)) statement.finalize();
    this.db.close(true);
  }
}
