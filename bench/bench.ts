// `npm run bench`: how many listeners this box holds and how fast the server fans a timer
// out to them, against the real server process. Run by hand on the machine you care about;
// the bench and the server share its CPUs, so read the figures as "at least this good".
//
//   bun bench/bench.ts [--listeners 2000] [--rooms 100] [--room-size 1000] [--puts 50]
//                      [--seconds 5] [--connections 8] [--in-memory] [--server dist/mob-timer]
//                      [--transport sse|ws]
//
// `--transport ws` runs the same listeners over WebSocket beside event streams (each on a
// fresh server), then holds as many long-poll waiters, and compares the fan-outs.
//
// Exits 1 when an event was lost (or a listener dropped, or a PUT failed, or with ws the
// sockets' fan-out p50 is worse than the streams'), 2 on bad options.
import { parseArgs } from "node:util";
import { integerOption } from "./lib/args.ts";
import { Listeners, type Transport } from "./lib/listeners.ts";
import { cpuSeconds, machineLine, openFileLimit, ownCpuSeconds, statusKiB } from "./lib/proc.ts";
import { putThroughput, putTimer } from "./lib/put.ts";
import { deadline, startServer, type BenchServer } from "./lib/server.ts";
import { median, percentile } from "./lib/stats.ts";
import { printTable, thousands, verdict, type Row } from "./lib/table.ts";
import { Waiters } from "./lib/waiters.ts";

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
    transport: { type: "string", default: "sse" },
  },
});

const count = (name: string, min: number) => integerOption(values, name, min);
const listenerCount = count("listeners", 1);
const roomCount = Math.min(count("rooms", 1), listenerCount);
const roomSize = values["room-size"] === undefined ? Math.min(1000, listenerCount) : Math.min(count("room-size", 1), listenerCount);
const puts = count("puts", 1);
const seconds = count("seconds", 1);
const connections = count("connections", 1);
const transport = values.transport;
if (transport !== "sse" && transport !== "ws") {
  console.error("bench: --transport must be sse or ws");
  process.exit(2);
}
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
deadline((transport === "ws" ? 20 : 10) * 60_000 + listenerCount * 30);

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
const serverOptions = { command: values.server ? [values.server] : undefined, inMemory: values["in-memory"] };

interface Run {
  rows: Row[];
  /** Fan-out p50 in ms. */
  p50: number;
  failed: boolean;
}

/** Listeners of one transport on a fresh server: connect, idle memory, fan-out, and optionally PUT throughput. */
async function listenersRun(kind: Transport, throughput: boolean): Promise<Run> {
  const server = await startServer(serverOptions);
  const listeners = new Listeners("127.0.0.1", Number(new URL(server.url).port), kind);
  const what = kind === "sse" ? "event streams" : "WebSockets";
  try {
    await Bun.sleep(1000);
    const rssBefore = statusKiB(server.pid);
    const connectCpu = cpuSeconds(server.pid);
    const rooms = roomOfEach();
    const connect = await listeners.connect(rooms);
    const connectServerCpu = cpuSeconds(server.pid) - connectCpu;
    if (connect.failed > 0) {
      console.error(`bench: ${connect.failed} of ${listenerCount} ${what} did not connect (first error: ${connect.firstError})\n${server.logTail()}`);
      return { rows: [], p50: NaN, failed: true };
    }
    await Bun.sleep(IDLE_MS);
    const rssIdle = statusKiB(server.pid);
    const fanOutCpu = [cpuSeconds(server.pid), ownCpuSeconds()] as const;
    const fan = await fanOut(server, listeners);
    const fanOutServerCpu = cpuSeconds(server.pid) - fanOutCpu[0];
    const fanOutBenchCpu = ownCpuSeconds() - fanOutCpu[1];
    await listeners.close();
    const rows: Row[] = [
      [`connect ${thousands(listenerCount)} ${what}, until each has its GOAL_REQUEST (ms)`, connect.ms],
      ["  connects per second", (listenerCount / connect.ms) * 1000],
      ["  server CPU during connect (s)", connectServerCpu],
      ["server RSS before (MiB)", kib(rssBefore)],
      [`server RSS with ${thousands(listenerCount)} idle ${what} (MiB)`, kib(rssIdle)],
      [`server memory per idle ${kind === "sse" ? "listener" : "socket"} (KiB)`, (rssIdle - rssBefore) / listenerCount],
      [`fan-out to ${thousands(roomSize)} ${what} of one room, p50 (ms)`, median(fan.latencies)],
      [`fan-out p99 (ms, of ${fan.latencies.length} PUTs)`, percentile(fan.latencies, 0.99)],
      ["  PUT answered (202), p50 (ms)", median(fan.putMs)],
      ["  server / bench CPU during fan-out (s)", `${fanOutServerCpu.toFixed(2)} / ${fanOutBenchCpu.toFixed(2)}`],
    ];
    let errors = fan.putErrors;
    if (throughput) {
      const tpRooms = Array.from({ length: 100 }, (_, i) => `bench-tp${i}`);
      const tpCpu = [cpuSeconds(server.pid), ownCpuSeconds()] as const;
      const tp = await putThroughput(server.url, connections, seconds, tpRooms);
      const tpServerCpu = cpuSeconds(server.pid) - tpCpu[0];
      const tpBenchCpu = ownCpuSeconds() - tpCpu[1];
      errors += tp.errors;
      rows.push(
        [`PUT throughput, ${connections} connections, no listeners (req/s)`, tp.requests / tp.seconds],
        ["  PUT latency p50 / p99 (ms)", `${median(tp.latencies).toFixed(2)} / ${percentile(tp.latencies, 0.99).toFixed(2)}`],
        [`  server / bench CPU over ${tp.seconds.toFixed(1)} s (s)`, `${tpServerCpu.toFixed(2)} / ${tpBenchCpu.toFixed(2)}`],
      );
    }
    rows.push(
      ["events lost (must be 0)", fan.lost],
      ["unexpected events, listeners dropped, PUT errors", `${listeners.unexpected}, ${listeners.disconnects}, ${errors}`],
    );
    const failed = fan.lost > 0 || listeners.unexpected > 0 || listeners.disconnects > 0 || errors > 0;
    return { rows, p50: median(fan.latencies), failed };
  } finally {
    await listeners.close();
    await server.stop();
  }
}

/** `listenerCount` long-poll waiters of one room on a fresh server: held, idle memory, and one change answering them all. */
async function waitersRun(): Promise<Run> {
  const server = await startServer(serverOptions);
  const waiters = new Waiters("127.0.0.1", Number(new URL(server.url).port));
  try {
    await putTimer(server.url, HOT_ROOM, "bench-first");
    await Bun.sleep(1000);
    const rssBefore = statusKiB(server.pid);
    const started = performance.now();
    await waiters.hold(HOT_ROOM, 1, listenerCount);
    const held = async () => ((await (await fetch(`${server.url}/api/health`)).json()) as { listeners: number }).listeners;
    while ((await held()) < listenerCount && performance.now() - started < 60_000) await Bun.sleep(50);
    const holdMs = performance.now() - started;
    await Bun.sleep(IDLE_MS);
    const rssIdle = statusKiB(server.pid);
    const stillHeld = await held();
    const put = performance.now();
    const status = await putTimer(server.url, HOT_ROOM, "bench-change");
    const missing = await waiters.allAnswered();
    const answeredMs = waiters.lastAnswerAt - put;
    const rows: Row[] = [
      [`hold ${thousands(listenerCount)} long-poll waiters of one room (ms)`, holdMs],
      ["server RSS before (MiB)", kib(rssBefore)],
      [`server RSS with ${thousands(listenerCount)} waiters (MiB)`, kib(rssIdle)],
      ["server memory per waiter (KiB)", (rssIdle - rssBefore) / listenerCount],
      [`waiters held after ${IDLE_MS / 1000} s idle`, stillHeld],
      ["one change answers every waiter, last answer after (ms)", answeredMs],
      ["waiters unanswered or not 200 (must be 0)", `${missing}, ${waiters.unexpected}`],
    ];
    return { rows, p50: answeredMs, failed: missing > 0 || waiters.unexpected > 0 || status !== 202 || stillHeld < listenerCount };
  } finally {
    waiters.close();
    await server.stop();
  }
}

console.log(machineLine());
const storage = values["in-memory"] ? "in memory" : "SQLite (synchronous FULL, as shipped)";
const layout = `${thousands(listenerCount)} listeners over ${thousands(new Set(roomOfEach()).size)} rooms, store ${storage}`;
let failed: boolean;
if (transport === "sse") {
  const run = await listenersRun("sse", true);
  if (run.rows.length > 0) printTable(`mob-timer: ${layout}`, ["figure", "value"], run.rows);
  failed = run.failed;
} else {
  const streams = await listenersRun("sse", false);
  if (streams.rows.length > 0) printTable(`mob-timer, event streams: ${layout}`, ["figure", "value"], streams.rows);
  const sockets = await listenersRun("ws", false);
  if (sockets.rows.length > 0) printTable(`mob-timer, WebSockets: ${layout}`, ["figure", "value"], sockets.rows);
  const waits = await waitersRun();
  printTable(`mob-timer, long-poll: ${thousands(listenerCount)} waiters of one room, store ${storage}`, ["figure", "value"], waits.rows);
  const ratio = sockets.p50 / streams.p50;
  printTable("WebSocket against event-stream fan-out, same run", ["figure", "value", "target met (<= 1)"], [
    ["fan-out p50, WebSockets / event streams", ratio, verdict(ratio <= 1)],
  ]);
  failed = streams.failed || sockets.failed || waits.failed || !(ratio <= 1);
}
process.exit(failed ? 1 : 0);
