// What durability costs: PUTs per second through the whole server with the memory store and
// with SQLite (synchronous FULL in its worker, as shipped), measured in one run by wrk over
// keep-alive; then the size of the database file after 10,000 timers.
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

const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 32);
const dir = mkdtempSync(join(tmpdir(), "mob-timer-bench-"));
// Limits would answer most of the load with 429 and measure the limiter instead.
const config: Config = { ...defaultConfig(), port: 0, host: "127.0.0.1", writesPerMinute: 100_000_000, maxRooms: 10_000_000, newRoomsPerHour: 10_000_000 };

// Each request starts a timer in one of 100 rooms, as many teams at once would.
const script = join(dir, "put.lua");
await Bun.write(
  script,
  `counter = 0
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/room-" .. (counter % 100), nil, '{"timer":10,"user":"user-' .. (counter % 7) .. '"}')
end`,
);

async function measure(label: string, store: Store): Promise<void> {
  const app = await createApp(config, { store });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", development: false, fetch: app.fetch });
  const wrk = Bun.spawn(["wrk", `-t${Math.min(2, connections)}`, `-c${connections}`, `-d${seconds}s`, "-s", script, `http://127.0.0.1:${server.port}`], { stdout: "pipe" });
  const output = await new Response(wrk.stdout).text();
  await app.close();
  await server.stop(true);
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output)?.[1];
  const latency = /Latency\s+(\S+)/.exec(output)?.[1];
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? "0";
  console.log(`${label.padEnd(16)} ${rate} PUT/s, mean latency ${latency}, non-2xx ${errors}`);
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

try {
  await measure("memory", new MemoryStore());
  await measure("sqlite", await SqliteStore.open(join(dir, "sqlite"), { now: Date.now }));
  await sizeAfterTimers(10_000);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
