// Does a PUT cost more in a room with a long history? Who is next is computed from the
// room's history, and a naive computation scans all of it: a busy room (20,000 entries in
// a day) would slow every change down. Target: a PUT to the full room within 1.2x of a
// PUT to an empty one, with each store.
//
//   bun bench/history.ts [--entries 20000] [--samples 300] [--server dist/mob-timer]
//
// Exits 1 when a target is missed.
import { parseArgs } from "node:util";
import { EventReader } from "../test/helpers.ts";
import { integerOption } from "./lib/args.ts";
import { machineLine } from "./lib/proc.ts";
import { putThroughput, putTimer } from "./lib/put.ts";
import { deadline, startServer } from "./lib/server.ts";
import { median, percentile } from "./lib/stats.ts";
import { printTable, thousands, verdict, type Row } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    entries: { type: "string", default: "20000" },
    samples: { type: "string", default: "300" },
    server: { type: "string" },
  },
});
const entries = integerOption(values, "entries", 1);
const samples = integerOption(values, "samples", 1);
const TARGET_RATIO = 1.2;
/** Filling runs as fast as the server takes PUTs; more in flight only queue in the room. */
const FILL_CONNECTIONS = 4;
const FILL_SECONDS = 300;

deadline(15 * 60_000);

/** The number of entries a new listener of `room` is sent, as a check that the fill worked. */
async function historyLength(url: string, room: string): Promise<number> {
  await using reader = await EventReader.open(`${url}/${room}/events`);
  const { history, timer } = await reader.replay();
  return history.length + (timer.requested === null ? 0 : 1);
}

/** Sequential PUTs alternating between the rooms, which of them first changing each round. */
async function latencies(url: string, full: string, empty: string): Promise<{ full: number[]; empty: number[] }> {
  const result = { full: [] as number[], empty: [] as number[] };
  const timed = async (room: string, k: number) => {
    const start = performance.now();
    const status = await putTimer(url, room, `user-${k % 7}`);
    if (status !== 202) throw new Error(`PUT /${room} answered ${status}`);
    return performance.now() - start;
  };
  for (let k = 0; k < samples; k++) {
    if (k % 2 === 0) {
      result.full.push(await timed(full, k));
      result.empty.push(await timed(empty, k));
    } else {
      result.empty.push(await timed(empty, k));
      result.full.push(await timed(full, k));
    }
  }
  return result;
}

async function measure(inMemory: boolean): Promise<Row[]> {
  await using server = await startServer({ command: values.server ? [values.server] : undefined, inMemory });
  const fillStart = performance.now();
  const fill = await putThroughput(server.url, FILL_CONNECTIONS, FILL_SECONDS, ["bench-full"], entries);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const stored = await historyLength(server.url, "bench-full");
  if (fill.errors > 0 || stored !== entries) throw new Error(`filled ${stored} of ${entries} entries (${fill.errors} PUT errors)`);
  // Warm-up, unmeasured: the first PUTs to each room run cold paths.
  for (let k = 0; k < 20; k++) await Promise.all([putTimer(server.url, "bench-warm", "w"), putTimer(server.url, "bench-full", "w")]);
  const { full, empty } = await latencies(server.url, "bench-full", "bench-empty");
  const ratio = median(full) / median(empty);
  if (ratio > TARGET_RATIO) process.exitCode = 1;
  const store = inMemory ? "memory" : "SQLite";
  return [
    [store, `${thousands(entries)} entries (filled in ${fillSeconds.toFixed(1)} s)`, median(full), percentile(full, 0.9), "", ""],
    [store, `empty (0 to ${samples} entries)`, median(empty), percentile(empty, 0.9), ratio, verdict(ratio <= TARGET_RATIO)],
  ];
}

console.log(machineLine());
const rows = [...(await measure(true)), ...(await measure(false))];
printTable(
  `PUT latency against history length, ${samples} sequential PUTs per room, alternating (target: full/empty <= ${TARGET_RATIO})`,
  ["store", "room history", "p50 (ms)", "p90 (ms)", "full/empty", "met"],
  rows,
);
