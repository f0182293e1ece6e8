// What Redis costs: PUT latency and throughput through one instance on Redis, with the
// append-only file synced on every write (appendfsync always) and once a second (everysec),
// beside the in-memory store; and how long a change takes to reach a listener on the other
// instance. Needs /usr/bin/redis-server; starts its own on a free port.
//
//   bun bench/redis.ts [--latency 300] [--seconds 5] [--connections 16] [--fanout 200]
import { parseArgs } from "node:util";
import { EventReader } from "../test/helpers.ts";
import { redisInstalled, startRedis } from "../test/redis-server.ts";
import { integerOption } from "./lib/args.ts";
import { machineLine } from "./lib/proc.ts";
import { putThroughput, putTimer } from "./lib/put.ts";
import { deadline, startServer, type BenchServer } from "./lib/server.ts";
import { median, percentile } from "./lib/stats.ts";
import { printTable, type Row } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    latency: { type: "string", default: "300" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    fanout: { type: "string", default: "200" },
  },
});
const latencySamples = integerOption(values, "latency", 1);
const seconds = integerOption(values, "seconds", 1);
const connections = integerOption(values, "connections", 1);
const fanoutSamples = integerOption(values, "fanout", 1);
if (!redisInstalled) process.exit(2);
deadline(10 * 60_000);

/** PUTs one after another: what one client waits for a 202. */
async function latency(url: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < latencySamples; i++) {
    const before = performance.now();
    await putTimer(url, `latency-${i % 10}`, `user-${i % 7}`);
    samples.push(performance.now() - before);
  }
  return samples;
}

/** From sending a PUT to `from` until its event reaches a listener of each of `to`. */
async function fanout(from: BenchServer, to: BenchServer[]): Promise<number[][]> {
  const readers = await Promise.all(to.map((server) => EventReader.open(`${server.url}/fanout/events`)));
  for (const reader of readers) await reader.replay();
  const delays = to.map(() => [] as number[]);
  for (let i = 0; i < fanoutSamples; i++) {
    const before = performance.now();
    const arrived = readers.map((reader, r) => reader.next("TIMER_REQUEST", 5000).then(() => delays[r]!.push(performance.now() - before)));
    await putTimer(from.url, "fanout", `user-${i % 7}`);
    await Promise.all(arrived);
  }
  for (const reader of readers) reader.close();
  return delays;
}

const puts: Row[] = [];
const delays: Row[] = [];
for (const store of ["memory", "redis always", "redis everysec"] as const) {
  await using redis = store === "memory" ? null : await startRedis(store === "redis always" ? "always" : "everysec");
  const env: Record<string, string> = redis ? { REDIS_URL: redis.url } : {};
  await using a = await startServer({ inMemory: true, env });
  await using b = await startServer({ inMemory: true, env });
  const one = await latency(a.url);
  const many = await putThroughput(a.url, connections, seconds, Array.from({ length: 100 }, (_, i) => `room-${i}`));
  puts.push([store, percentile(one, 0.5), percentile(one, 0.99), many.requests / many.seconds, percentile(many.latencies, 0.5), percentile(many.latencies, 0.99), many.errors]);
  if (redis) {
    const [same, other] = await fanout(a, [a, b]);
    delays.push([store, median(same!), median(other!), percentile(other!, 0.99)]);
  }
}

console.log(machineLine());
printTable(
  `PUT through one instance: ${latencySamples} one after another, then ${connections} in flight for ${seconds} s`,
  ["store", "alone p50 ms", "alone p99 ms", "PUTs/s", "loaded p50 ms", "loaded p99 ms", "errors"],
  puts,
);
printTable(`A change on instance A to one listener, ${fanoutSamples} changes one after another`, ["store", "on A p50 ms", "on B p50 ms", "on B p99 ms"], delays);
