// `npm run bench`: how many listeners this box holds and how fast the server fans a timer
// out to them, against the real server process. Run by hand on the machine you care about;
// the bench and the server share its CPUs, so read the figures as "at least this good".
//
//   bun bench/bench.ts [--listeners 2000] [--rooms 100] [--room-size 1000] [--puts 50]
//                      [--seconds 5] [--connections 8] [--in-memory] [--server dist/mob-timer]
//
// Exits 1 when an event was lost (or a listener dropped, or a PUT failed), 2 on bad options.
import { parseArgs } from "node:util";
import { integerOption } from "./lib/args.ts";
import { Listeners } from "./lib/listeners.ts";
import { cpuSeconds, machineLine, openFileLimit, ownCpuSeconds, statusKiB } from "./lib/proc.ts";
import { putThroughput, putTimer } from "./lib/put.ts";
import { deadline, startServer, type BenchServer } from "./lib/server.ts";
import { median, percentile } from "./lib/stats.ts";
import { printTable, thousands, type Row } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    listeners: { type: "string", default: "2000" },
    rooms: { type: "string", default: "100" },
    "room-size": { type: "string" },
    puts: { type: "string", default: "50" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "8" },
    "in-memory": { type: "boolean", default: false },
    server: { type: "string" },
  },
});

const count = (name: string, min: number) => integerOption(values, name, min);
const listenerCount = count("listeners", 1);
const roomCount = Math.min(count("rooms", 1), listenerCount);
const roomSize = values["room-size"] === undefined ? Math.min(1000, listenerCount) : Math.min(count("room-size", 1), listenerCount);
const puts = count("puts", 1);
const seconds = count("seconds", 1);
const connections = count("connections", 1);
/** Unmeasured PUTs first: the first ones run cold code paths. */
const WARM_UP = 5;
/** Idle long enough for one KEEP_ALIVE round to every listener, and for the server to settle. */
const IDLE_MS = 6000;
const HOT_ROOM = "bench-hot";

// Each listener holds a descriptor here and one in the server; keep some for everything else.
if (listenerCount + 100 > openFileLimit()) {
  console.error(`bench: ${listenerCount} listeners need an open-file limit above ${listenerCount + 100} (now ${openFileLimit()}); run \`ulimit -n 20000\` first`);
  process.exit(2);
}
deadline(10 * 60_000 + listenerCount * 10);

/** The fan-out room gets `roomSize` listeners; the others share the rest in turn. */
function roomOfEach(): string[] {
  return Array.from({ length: listenerCount }, (_, i) =>
    i < roomSize || roomCount === 1 ? HOT_ROOM : `bench-r${(i - roomSize) % (roomCount - 1)}`,
  );
}

interface FanOut {
  latencies: number[];
  putMs: number[];
  lost: number;
  putErrors: number;
}

/**
 * One PUT at a time to the fan-out room, each with a unique user; a PUT's latency runs from
 * just before it is sent until the last listener of the room has parsed its TIMER_REQUEST.
 */
async function fanOut(server: BenchServer, listeners: Listeners): Promise<FanOut> {
  const result: FanOut = { latencies: [], putMs: [], lost: 0, putErrors: 0 };
  for (let k = 0; k < WARM_UP + puts; k++) {
    const user = `bench-u${k}`;
    const delivered = listeners.expect(HOT_ROOM, user);
    const start = performance.now();
    const status = await putTimer(server.url, HOT_ROOM, user).catch(() => 0);
    const answered = performance.now();
    const outcome = await delivered;
    if (status !== 202) result.putErrors++;
    if ("missing" in outcome) result.lost += outcome.missing;
    else if (k >= WARM_UP) {
      result.latencies.push(outcome.lastAt - start);
      result.putMs.push(answered - start);
    }
    // A short gap, so that one PUT's last writes never overlap the next one's.
    await Bun.sleep(10);
  }
  return result;
}

const kib = (value: number) => value / 1024;

console.log(machineLine());
const server = await startServer({ command: values.server ? [values.server] : undefined, inMemory: values["in-memory"] });
const listeners = new Listeners("127.0.0.1", Number(new URL(server.url).port));
let failed = false;
try {
  await Bun.sleep(1000);
  const rssBefore = statusKiB(server.pid);
  const connectCpu = cpuSeconds(server.pid);
  const rooms = roomOfEach();
  const connect = await listeners.connect(rooms);
  const connectServerCpu = cpuSeconds(server.pid) - connectCpu;
  if (connect.failed > 0) {
    console.error(`bench: ${connect.failed} of ${listenerCount} listeners did not connect (first error: ${connect.firstError})\n${server.logTail()}`);
    failed = true;
  } else {
    await Bun.sleep(IDLE_MS);
    const rssIdle = statusKiB(server.pid);
    const fanOutCpu = [cpuSeconds(server.pid), ownCpuSeconds()] as const;
    const fan = await fanOut(server, listeners);
    const fanOutServerCpu = cpuSeconds(server.pid) - fanOutCpu[0];
    const fanOutBenchCpu = ownCpuSeconds() - fanOutCpu[1];
    await listeners.close();

    const tpRooms = Array.from({ length: 100 }, (_, i) => `bench-tp${i}`);
    const tpCpu = [cpuSeconds(server.pid), ownCpuSeconds()] as const;
    const tp = await putThroughput(server.url, connections, seconds, tpRooms);
    const tpServerCpu = cpuSeconds(server.pid) - tpCpu[0];
    const tpBenchCpu = ownCpuSeconds() - tpCpu[1];

    const rows: Row[] = [
      [`connect ${thousands(listenerCount)} listeners, until each has its GOAL_REQUEST (ms)`, connect.ms],
      ["  connects per second", (listenerCount / connect.ms) * 1000],
      ["  server CPU during connect (s)", connectServerCpu],
      ["server RSS before (MiB)", kib(rssBefore)],
      [`server RSS with ${thousands(listenerCount)} idle listeners (MiB)`, kib(rssIdle)],
      ["server memory per idle listener (KiB)", (rssIdle - rssBefore) / listenerCount],
      [`fan-out to ${thousands(roomSize)} listeners of one room, p50 (ms)`, median(fan.latencies)],
      [`fan-out p99 (ms, of ${fan.latencies.length} PUTs)`, percentile(fan.latencies, 0.99)],
      ["  PUT answered (202), p50 (ms)", median(fan.putMs)],
      ["  server / bench CPU during fan-out (s)", `${fanOutServerCpu.toFixed(2)} / ${fanOutBenchCpu.toFixed(2)}`],
      [`PUT throughput, ${connections} connections, no listeners (req/s)`, tp.requests / tp.seconds],
      ["  PUT latency p50 / p99 (ms)", `${median(tp.latencies).toFixed(2)} / ${percentile(tp.latencies, 0.99).toFixed(2)}`],
      [`  server / bench CPU over ${tp.seconds.toFixed(1)} s (s)`, `${tpServerCpu.toFixed(2)} / ${tpBenchCpu.toFixed(2)}`],
      ["events lost (must be 0)", fan.lost],
      ["unexpected events, listeners dropped, PUT errors", `${listeners.unexpected}, ${listeners.disconnects}, ${fan.putErrors + tp.errors}`],
    ];
    const storage = values["in-memory"] ? "in memory" : "SQLite (synchronous FULL, as shipped)";
    const title = `mob-timer: ${thousands(listenerCount)} listeners over ${thousands(new Set(rooms).size)} rooms, store ${storage}`;
    printTable(title, ["figure", "value"], rows);
    failed = fan.lost > 0 || listeners.unexpected > 0 || listeners.disconnects > 0 || fan.putErrors + tp.errors > 0;
  }
} finally {
  await listeners.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
