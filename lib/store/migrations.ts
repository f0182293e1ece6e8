// The SQLite schema as an ordered list of steps: a database at version n has run the first
// n steps. Steps are never edited once released; a change to the schema is a new step at
// the end, so that every older database file reaches the current shape on start.
import type { Database } from "bun:sqlite";

export const MIGRATIONS: readonly string[] = [
  // 1: rooms and their history.
  `CREATE TABLE rooms (
     name TEXT PRIMARY KEY,
     seq INTEGER NOT NULL,
     goal TEXT,
     goal_user TEXT,
     goal_requested TEXT
   ) WITHOUT ROWID;
   -- id is the order of the history within a room.
   CREATE TABLE history (
     id INTEGER PRIMARY KEY,
     room TEXT NOT NULL,
     requested_ms INTEGER NOT NULL,
     timer INTEGER NOT NULL,
     requested TEXT NOT NULL,
     user TEXT,
     next_user TEXT,
     type TEXT NOT NULL
   );
   CREATE INDEX history_by_time ON history (requested_ms);`,

  // 2: the statistics of /stats.
  `CREATE TABLE stats (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     since TEXT NOT NULL,
     goals INTEGER NOT NULL
   );
   CREATE TABLE stats_counts (
     type TEXT NOT NULL,
     minutes INTEGER NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (type, minutes)
   ) WITHOUT ROWID;`,

  // 3: what the shared-store interface reads: one room's history in order, rooms whose
  // latest timer runs (by the time it ends), entries per room for the history cap, the
  // statistics per day and per hour, the floor of forgotten rooms' numbers, and a row the
  // health check writes so that it reaches the disk.
  `CREATE INDEX history_by_room ON history (room, id);
   CREATE INDEX history_by_end ON history (requested_ms + timer * 60000);
   ALTER TABLE rooms ADD COLUMN entries INTEGER NOT NULL DEFAULT 0;
   UPDATE rooms SET entries = (SELECT count(*) FROM history WHERE history.room = rooms.name);
   CREATE TABLE stats_days (
     day TEXT PRIMARY KEY,
     count INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE stats_hours (
     hour INTEGER PRIMARY KEY,
     count INTEGER NOT NULL
   );
   CREATE TABLE store_state (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     floor INTEGER NOT NULL,
     checks INTEGER NOT NULL
   );
   INSERT INTO store_state (id, floor, checks) VALUES (1, 0, 0);`,

  // 4: what a room keeps beyond PROTOCOL.md (RoomSettings), as JSON; NULL when none.
  `ALTER TABLE rooms ADD COLUMN settings TEXT;`,

  // 5: a team's rotation: where its counting stands (StatsCursor, as JSON; NULL for a room
  // that never opted in), and its counts per day and person, kept apart from the room so
  // that they outlive its history; by day for the sweep.
  `ALTER TABLE rooms ADD COLUMN stats_cursor TEXT;
   CREATE TABLE room_stats (
     room TEXT NOT NULL,
     day TEXT NOT NULL,
     person TEXT NOT NULL,
     field TEXT NOT NULL,
     value INTEGER NOT NULL,
     PRIMARY KEY (room, day, person, field)
   ) WITHOUT ROWID;
   CREATE INDEX room_stats_by_day ON room_stats (day);`,

  // 6: history_by_end served a look at running rooms by the time their timer ends; that
  // look now reads each room's latest entry (history_by_room), and nothing read this index
  // any more, while every timer still wrote it: a fourth b-tree per change, and its page in
  // every commit's log.
  `DROP INDEX history_by_end;`,

  // 7: a room's entries as a chain instead of an index: each entry names the room's entry
  // before it, and the room names its latest. history_by_room put every timer into a
  // b-tree ordered by room, so a commit of changes to 64 rooms wrote 64 of its pages; the
  // chain costs one column in the entry's own row, which is written at the history's tail
  // anyway (about half of a change's CPU in the store's thread, bench/RESULTS.md).
  `ALTER TABLE history ADD COLUMN prev INTEGER;
   ALTER TABLE rooms ADD COLUMN last INTEGER;
   UPDATE history SET prev = (SELECT max(h.id) FROM history AS h WHERE h.room = history.room AND h.id < history.id);
   UPDATE rooms SET last = (SELECT max(id) FROM history WHERE history.room = rooms.name);
   DROP INDEX history_by_room;`,

  // 8: a room's row catches up with its history in folds instead of at every timer (see
  // fold() in sqlite-worker.ts): each entry keeps the room's number it got, and the store
  // notes the last entry that rooms and statistics account for. Every entry so far is.
  `ALTER TABLE history ADD COLUMN seq INTEGER;
   ALTER TABLE store_state ADD COLUMN folded INTEGER NOT NULL DEFAULT 0;
   UPDATE store_state SET folded = (SELECT coalesce(max(id), 0) FROM history);`,
];

function schemaVersion(db: Database): number {
  db.run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = db.query<{ version: number }, []>("SELECT version FROM schema_version").get();
  return row?.version ?? 0;
}

/**
 * Brings the database up to `steps.length`, one transaction per step so that a crash leaves
 * it at a version it really has. Refuses a database from a newer build rather than guess.
 */
export function migrate(db: Database, steps: readonly string[] = MIGRATIONS): void {
  const from = schemaVersion(db);
  if (from > steps.length) {
    throw new Error(`its schema version ${from} is newer than this build knows (${steps.length}); run a newer mob-timer`);
  }
  for (let version = from + 1; version <= steps.length; version++) {
    db.transaction(() => {
      db.run(steps[version - 1]!);
      db.run("DELETE FROM schema_version");
      db.run("INSERT INTO schema_version (version) VALUES (?)", [version]);
    })();
  }
}
