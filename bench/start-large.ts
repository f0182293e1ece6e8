// Does a server start on a large SQLite database stay responsive? It makes a database of
// --rooms team rooms of --timers timers each, all set within the last hour (half of the
// rooms' latest timer still runs, the other half's ended while the server was down), starts
// the server on it, and from the moment it listens asks for /api/health and makes a change
// every 20 ms for --seconds. Targets (issue 22): health 200 within 1 s of listening, a
// change's answer p99 under 50 ms during the start, and every ended timer's late TIME_UP
// sent once (counted in the database after the server stopped).
//
//   bun bench/start-large.ts [--rooms 10000] [--timers 100] [--seconds 10] [--server dist/mob-timer]
//
// Exits 1 when a target is missed.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { systemClock } from "../lib/base/clock.ts";
import { DATABASE_FILE, SqliteStore } from "../lib/store/sqlite.ts";
import { integerOption } from "./lib/args.ts";
import { machineLine, statusKiB } from "./lib/proc.ts";
import { putTimer } from "./lib/put.ts";
import { deadline, startServer } from "./lib/server.ts";
import { percentile } from "./lib/stats.ts";
import { printTable, thousands, verdict } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    rooms: { type: "string", default: "10000" },
    timers: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
    server: { type: "string" },
  },
});
const rooms = integerOption(values, "rooms", 1);
const timers = integerOption(values, "timers", 1);
const seconds = integerOption(values, "seconds", 1);
const HEALTHY_WITHIN_MS = 1000;
const CHANGE_P99_MS = 50;
const STEP_MS = 20;

deadline(30 * 60_000);

/** The database: rooms with a roster (so that their ends are announced), timers spread over the last hour. */
async function makeDatabase(dir: string, now: number): Promise<void> {
  await (await SqliteStore.open(dir, systemClock)).close();
  const db = new Database(join(dir, DATABASE_FILE));
  const room = db.prepare("INSERT INTO rooms (name, seq, entries, settings) VALUES (?, ?, ?, ?)");
  const entry = db.prepare("INSERT INTO history (room, requested_ms, timer, requested, user, next_user, type) VALUES (?, ?, ?, ?, ?, ?, 'TIMER')");
  const settings = JSON.stringify({ roster: { members: ["alice", "bob"].map((name) => ({ name, away: false, role: null })) } });
  db.transaction(() => {
    for (let r = 0; r < rooms; r++) {
      const name = `room-${r}`;
      room.run(name, timers + 1, timers, settings);
      for (let t = 0; t < timers; t++) {
        const requested = now - 3_600_000 + Math.floor(((t + 1) * 3_540_000) / timers);
        // The latest timer of every other room ended before the start: its TIME_UP is late.
        const minutes = t < timers - 1 || r % 2 === 1 ? 1 : 10;
        entry.run(name, requested, minutes, new Date(requested).toISOString(), t % 2 ? "bob" : "alice", t % 2 ? "alice" : "bob");
      }
    }
  })();
  // The connection, and its lock on the file, stays open until every statement is finalized.
  room.finalize();
  entry.finalize();
  db.close(true);
}

/** Rooms whose latest timer's end has been announced (their settings record it). */
function announced(dir: string): number {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  const query = db.prepare<{ count: number }, []>(`SELECT count(*) AS count FROM rooms WHERE settings LIKE '%"timeUp"%'`);
  const { count } = query.get()!;
  query.finalize();
  db.close(true);
  return count;
}

const dir = mkdtempSync(join(tmpdir(), "mob-timer-start-large-"));
try {
  console.log(machineLine());
  const made = performance.now();
  // A minute ago: the rooms' latest timers of one minute ended before the server starts.
  await makeDatabase(dir, Date.now() - 60_000);
  console.log(`database: ${thousands(rooms)} rooms × ${timers} timers in ${Math.round(performance.now() - made)} ms`);

  const server = await startServer({ dataDir: dir, command: values.server ? [values.server] : undefined, env: { TIME_UP_SECONDS: "1" } });
  const listening = performance.now();
  const health: { at: number; status: number; ms: number }[] = [];
  const changes: number[] = [];
  let rssAtListen = 0;
  try {
    rssAtListen = statusKiB(server.pid);
    for (let step = 0; performance.now() - listening < seconds * 1000; step++) {
      const asked = performance.now();
      const [status] = await Promise.all([
        fetch(`${server.url}/api/health`).then(async (res) => (await res.arrayBuffer(), res.status)),
        putTimer(server.url, `new-${step % 50}`, "carol").then((put) => {
          if (put !== 202) throw new Error(`PUT answered ${put}`);
          changes.push(performance.now() - asked);
        }),
      ]);
      health.push({ at: asked - listening, status: status!, ms: performance.now() - asked });
      await Bun.sleep(Math.max(0, STEP_MS - (performance.now() - asked)));
    }
  } finally {
    await server.stop();
  }
  const firstHealthy = health.find((h) => h.status === 200)?.at ?? Number.POSITIVE_INFINITY;
  const unhealthyAfter = health.filter((h) => h.status !== 200 && h.at > firstHealthy).length;
  const late = announced(dir);
  const ended = Math.floor(rooms / 2);
  const p99 = percentile(changes, 99);
  printTable(`start on ${thousands(rooms)} rooms × ${timers} timers (SQLite)`, ["measure", "value", "target", "verdict"], [
    ["first health 200 after listening (ms)", Math.round(firstHealthy), `< ${HEALTHY_WITHIN_MS}`, verdict(firstHealthy < HEALTHY_WITHIN_MS)],
    ["health answers not 200 after the first", unhealthyAfter, "0", verdict(unhealthyAfter === 0)],
    ["change p99 during the start (ms)", Math.round(p99), `< ${CHANGE_P99_MS}`, verdict(p99 < CHANGE_P99_MS)],
    ["late TIME_UP announced", `${late} of ${ended}`, `${ended}`, verdict(late === ended)],
    ["RSS when listening (MB)", Math.round(rssAtListen / 1024), "", ""],
  ]);
  process.exitCode = firstHealthy < HEALTHY_WITHIN_MS && unhealthyAfter === 0 && p99 < CHANGE_P99_MS && late === ended ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
