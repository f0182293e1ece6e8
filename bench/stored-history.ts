// A server whose database holds a day of a busy instance (260,000 timers over 1,000 rooms,
// all within the retention, none running): what it holds in memory after it starts, against
// a fresh server's, and how soon a room's first listener gets its replay (the room is read
// from the disk then). Targets: memory within 1.2x of a fresh server's; replay within 10 ms.
//
//   bun bench/stored-history.ts [--timers 260000] [--rooms 1000] [--listeners 20]
//
// Exits 1 when a target is missed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { RoomChange } from "../lib/domain/changes.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { integerOption } from "./lib/args.ts";
import { machineLine, statusKiB } from "./lib/proc.ts";
import { deadline, startServer } from "./lib/server.ts";
import { median } from "./lib/stats.ts";
import { printTable, verdict } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    timers: { type: "string", default: "260000" },
    rooms: { type: "string", default: "1000" },
    listeners: { type: "string", default: "20" },
  },
});
const timers = integerOption(values, "timers", 1);
const rooms = integerOption(values, "rooms", 1);
const listeners = integerOption(values, "listeners", 1);
/** Long enough for the collector to run after start, as on a server between uses. */
const IDLE_MS = 5000;
deadline(10 * 60_000);

/** Fills a database with `timers` finished timers spread over the last 23 hours. */
async function fill(dataDir: string): Promise<void> {
  const store = await SqliteStore.open(dataDir, { now: Date.now }, 1000);
  const start = Date.now() - 23 * 3_600_000;
  const step = (23 * 3_600_000) / timers;
  let next = 0;
  const writer = async () => {
    for (;;) {
      const i = next++;
      if (i >= timers) return;
      const room = i % rooms;
      const seq = Math.floor(i / rooms) + 1;
      const change: RoomChange = { kind: "timer", entry: { timer: 0, requested: new Date(start + i * step).toISOString(), user: `user-${i % 7}`, nextUser: `user-${(i + 1) % 7}`, type: "TIMER" } };
      // Writers of one room take turns by number: append it only after the one before it.
      while ((await store.append(`room-${room}`, change, seq)).ok === false) await Bun.sleep(0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(64, rooms) }, writer));
  await store.close();
}

async function idleRss(dataDir?: string): Promise<{ rssMB: number; server: Awaited<ReturnType<typeof startServer>> }> {
  const server = await startServer({ dataDir });
  await Bun.sleep(IDLE_MS);
  return { rssMB: (statusKiB(server.pid) * 1024) / 1e6, server };
}

async function firstReplayMs(url: string, room: string): Promise<number> {
  const started = performance.now();
  const abort = new AbortController();
  const response = await fetch(`${url}/${room}/events`, { signal: abort.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("event:GOAL_REQUEST")) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
  }
  abort.abort();
  return performance.now() - started;
}

console.log(machineLine());
const dir = mkdtempSync(join(tmpdir(), "mob-timer-bench-stored-"));
try {
  const filling = performance.now();
  await fill(dir);
  console.log(`filled ${timers.toLocaleString("en-US")} timers over ${rooms} rooms in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
  const fresh = await idleRss();
  await fresh.server.stop();
  const stored = await idleRss(dir);
  const replays: number[] = [];
  for (let i = 0; i < listeners; i++) replays.push(await firstReplayMs(stored.server.url, `room-${(i * 37) % rooms}`));
  await stored.server.stop();
  const ratio = stored.rssMB / fresh.rssMB;
  const replay = median(replays);
  printTable(
    `A server started on ${timers.toLocaleString("en-US")} stored timers (${rooms} rooms, history cap 1,000)`,
    ["figure", "value", "target", "met"],
    [
      ["fresh server, idle RSS (MB)", fresh.rssMB, "", ""],
      ["server on the stored timers, idle RSS (MB)", stored.rssMB, "", ""],
      ["ratio", ratio, "<= 1.2", verdict(ratio <= 1.2)],
      [`a room's first listener: replay, median of ${listeners} rooms (ms)`, replay, "<= 10", verdict(replay <= 10)],
      ["  slowest (ms)", Math.max(...replays), "", ""],
    ],
  );
  if (ratio > 1.2 || replay > 10) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
