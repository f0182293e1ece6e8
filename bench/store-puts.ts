// What durability costs: PUTs per second through the whole server with the memory store,
// with SQLite (synchronous FULL in its worker, as shipped) and, where /usr/bin/redis-server
// is installed, with a Redis of its own (appendfsync always, on the same machine), measured
// in one run by wrk over keep-alive; then the size of the database file after 10,000 timers.
// Run: bun bench/store-puts.ts [seconds per server, default 5] [connections, default 32].
// Needs wrk on the PATH.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../lib/app.ts";
import { defaultConfig, type Config } from "../lib/config.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { DATABASE_FILE, SqliteStore } from "../lib/store/sqlite.ts";
import type { Store } from "../lib/store/store.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { redisInstalled, startRedis } from "../test/redis-server.ts";
import { wrkPuts } from "./lib/wrk.ts";

const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 32);
const dir = mkdtempSync(join(tmpdir(), "mob-timer-bench-"));
// Limits would answer most of the load with 429 and measure the limiter instead.
const config: Config = { ...defaultConfig(), port: 0, host: "127.0.0.1", writesPerMinute: 100_000_000, maxRooms: 10_000_000, newRoomsPerHour: 10_000_000 };

async function measure(label: string, store: Store): Promise<void> {
  const app = await createApp(config, { store });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", development: false, fetch: app.fetch });
  const { rate, errors, latencies } = await wrkPuts([`http://127.0.0.1:${server.port}`], connections, seconds);
  await app.close();
  await server.stop(true);
  console.log(`${label.padEnd(16)} ${rate.toFixed(0)} PUT/s, mean latency ${latencies[0]}, non-2xx ${errors}`);
}

async function sizeAfterTimers(count: number): Promise<void> {
  const store = await SqliteStore.open(join(dir, "size"), { now: Date.now });
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const entry = { timer: 10, requested: new Date(start + i).toISOString(), user: `user-${i % 7}`, nextUser: `user-${(i + 1) % 7}`, type: "TIMER" as const };
    await store.append(`room-${i % 500}`, { kind: "timer", entry }, Math.floor(i / 500) + 1);
  }
  await store.close();
  console.log(`${count} timers in 500 rooms: ${(statSync(join(dir, "size", DATABASE_FILE)).size / 1024).toFixed(0)} KiB`);
}

const redis = redisInstalled ? await startRedis("always") : null;
try {
  await measure("memory", new MemoryStore());
  await measure("sqlite", await SqliteStore.open(join(dir, "sqlite"), { now: Date.now }));
  if (redis) await measure("redis always", await RedisStore.open(redis.url, systemClock, silentLogger, { maxHistory: config.maxHistory }));
  await sizeAfterTimers(10_000);
} finally {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}
