// Several instances on one Redis: 2 instances, 1 redis-server (appendfsync always, as docs/instances.md
// recommends), 10,000 listeners spread over both. A change PUT on instance A, the time
// until the last of 1,000 listeners of its room has it, on A itself and on B; memory per
// listener on each instance; then PUT throughput with PUTs on either instance, by fetch
// with 16 in flight as bench/redis.ts, and by wrk with 32 connections as bench/store-puts.ts. Needs
// /usr/bin/redis-server (starts its own on a free port) and `ulimit -n 25000`.
//
//   bun bench/instances.ts [--listeners 10000] [--room-size 1000] [--puts 50] [--seconds 5]
//                          [--connections 16] [--appendfsync always|everysec]
import { parseArgs } from "node:util";
import { redisInstalled, startRedis } from "../test/redis-server.ts";
import { integerOption } from "./lib/args.ts";
import { Listeners } from "./lib/listeners.ts";
import { cpuSeconds, machineLine, openFileLimit, statusKiB } from "./lib/proc.ts";
import { putThroughput, putTimer } from "./lib/put.ts";
import { wrkPuts } from "./lib/wrk.ts";
import { deadline, startServer, type BenchServer } from "./lib/server.ts";
import { median, percentile } from "./lib/stats.ts";
import { printTable, thousands, type Row } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    listeners: { type: "string", default: "10000" },
    "room-size": { type: "string", default: "1000" },
    puts: { type: "string", default: "50" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    appendfsync: { type: "string", default: "always" },
  },
});
const listenerCount = integerOption(values, "listeners", 4);
const roomSize = Math.min(integerOption(values, "room-size", 1), Math.floor(listenerCount / 4));
const puts = integerOption(values, "puts", 1);
const seconds = integerOption(values, "seconds", 1);
const connections = integerOption(values, "connections", 2);
const appendfsync = values.appendfsync === "everysec" ? "everysec" : "always";
const WARM_UP = 5;
const IDLE_MS = 6000;
if (!redisInstalled) process.exit(2);
if (listenerCount + 200 > openFileLimit()) {
  console.error(`bench: ${listenerCount} listeners need an open-file limit above ${listenerCount + 200} (now ${openFileLimit()}); run \`ulimit -n 25000\` first`);
  process.exit(2);
}
deadline(10 * 60_000 + listenerCount * 10);

/** Half the listeners on each instance: `roomSize` in the fan-out room, the rest over 100 rooms. */
function roomsOn(instance: "a" | "b"): string[] {
  return Array.from({ length: listenerCount / 2 }, (_, i) => (i < roomSize ? `hot-${instance}` : `room-${instance}-${i % 100}`));
}

/** PUTs on `from` to `room`, one at a time: until the last listener of the room has the change. */
async function fanOut(from: BenchServer, listeners: Listeners, room: string): Promise<{ latencies: number[]; lost: number }> {
  const latencies: number[] = [];
  let lost = 0;
  for (let k = 0; k < WARM_UP + puts; k++) {
    const user = `${room}-u${k}`;
    const delivered = listeners.expect(room, user);
    const start = performance.now();
    if ((await putTimer(from.url, room, user)) !== 202) lost++;
    const outcome = await delivered;
    if ("missing" in outcome) lost += outcome.missing;
    else if (k >= WARM_UP) latencies.push(outcome.lastAt - start);
    await Bun.sleep(10);
  }
  return { latencies, lost };
}

/** As bench/store-puts.ts measures the single-instance stores: 32 connections, 100 rooms. */
const WRK_CONNECTIONS = 32;

console.log(machineLine());
const redis = await startRedis(appendfsync);
const env = { REDIS_URL: redis.url };
const a = await startServer({ env });
const b = await startServer({ env });
const onA = new Listeners("127.0.0.1", Number(new URL(a.url).port));
const onB = new Listeners("127.0.0.1", Number(new URL(b.url).port));
let failed = false;
try {
  await Bun.sleep(1000);
  const before = [statusKiB(a.pid), statusKiB(b.pid)];
  const connected = await Promise.all([onA.connect(roomsOn("a")), onB.connect(roomsOn("b"))]);
  if (connected.some((c) => c.failed > 0)) throw new Error(`listeners did not connect: ${connected.map((c) => c.firstError).join(", ")}`);
  await Bun.sleep(IDLE_MS);
  const idle = [statusKiB(a.pid), statusKiB(b.pid)];
  const same = await fanOut(a, onA, "hot-a");
  const other = await fanOut(a, onB, "hot-b");
  await Promise.all([onA.close(), onB.close()]);

  const cpu = [cpuSeconds(a.pid), cpuSeconds(b.pid), cpuSeconds(redis.pid)];
  const rooms = Array.from({ length: 100 }, (_, i) => `tp-${i}`);
  const throughput = await Promise.all([a, b].map((server) => putThroughput(server.url, connections / 2, seconds, rooms)));
  const used = [cpuSeconds(a.pid) - cpu[0]!, cpuSeconds(b.pid) - cpu[1]!, cpuSeconds(redis.pid) - cpu[2]!];
  const requests = throughput.reduce((sum, t) => sum + t.requests, 0);
  const errors = throughput.reduce((sum, t) => sum + t.errors, 0);
  const latencies = throughput.flatMap((t) => t.latencies);
  const elapsed = Math.max(...throughput.map((t) => t.seconds));
  const wrk = Bun.which("wrk") === null ? null : await wrkPuts([a.url, b.url], WRK_CONNECTIONS, seconds);

  const rows: Row[] = [
    [`fan-out from A to ${thousands(roomSize)} listeners on A, p50 / p99 (ms)`, `${median(same.latencies).toFixed(2)} / ${percentile(same.latencies, 0.99).toFixed(2)}`],
    [`fan-out from A to ${thousands(roomSize)} listeners on B, p50 / p99 (ms)`, `${median(other.latencies).toFixed(2)} / ${percentile(other.latencies, 0.99).toFixed(2)}`],
    ["memory per idle listener, A / B (KiB)", `${((idle[0]! - before[0]!) / (listenerCount / 2)).toFixed(2)} / ${((idle[1]! - before[1]!) / (listenerCount / 2)).toFixed(2)}`],
    [`PUT throughput, ${connections} connections over A and B, no listeners (req/s)`, requests / elapsed],
    ["  PUT latency p50 / p99 (ms)", `${median(latencies).toFixed(2)} / ${percentile(latencies, 0.99).toFixed(2)}`],
    [`  CPU of A / B / Redis over ${elapsed.toFixed(1)} s (s)`, `${used[0]!.toFixed(2)} / ${used[1]!.toFixed(2)} / ${used[2]!.toFixed(2)}`],
    [`PUT throughput by wrk, ${WRK_CONNECTIONS} connections over A and B, as bench/store-puts.ts (req/s)`, wrk === null ? "(no wrk)" : wrk.rate],
    ["  non-2xx answers (0)", wrk === null ? "" : wrk.errors],
    ["events lost, unexpected, listeners dropped, PUT errors (all 0)", `${same.lost + other.lost}, ${onA.unexpected + onB.unexpected}, ${onA.disconnects + onB.disconnects}, ${errors}`],
  ];
  printTable(`mob-timer: 2 instances on one Redis (appendfsync ${appendfsync}), ${thousands(listenerCount)} listeners over both`, ["figure", "value"], rows);
  failed = (wrk?.errors ?? 0) + same.lost + other.lost + onA.unexpected + onB.unexpected + onA.disconnects + onB.disconnects + errors > 0;
} finally {
  await Promise.all([onA.close(), onB.close()]);
  await Promise.all([a.stop(), b.stop()]);
  await redis.stop();
}
process.exit(failed ? 1 : 0);
