// What the room page's statistics panel costs: a busy team's room with 30 days of turns
// (six people on a roster, a 5-minute turn after another from 09:00 to 17:00 UTC every day,
// a 10-minute break every six turns), made in-process through app.fetch on a clock moved by
// hand, then GET /api/rooms/<room>/stats/panel asked again and again, one at a time, and the
// JSON report of all 30 days beside it. Target: the panel answers in under 50 ms (p99: on a
// shared machine the slowest of 200 is the scheduler's, the CPU column says what the
// server itself spent), with the memory store, with SQLite (as shipped) and, where
// /usr/bin/redis-server is installed, with a Redis of its own.
//
//   bun bench/rotation-panel.ts [--days 30] [--requests 200] [--turn 5]
//
// Exits 1 when a target is missed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp } from "../lib/app.ts";
import { defaultConfig, type Config } from "../lib/config.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { RedisStore } from "../lib/store/redis.ts";
import type { Store } from "../lib/store/store.ts";
import { silentLogger } from "../lib/base/log.ts";
import { ManualClock } from "../test/helpers.ts";
import { redisInstalled, startRedis } from "../test/redis-server.ts";
import { integerOption } from "./lib/args.ts";
import { machineLine } from "./lib/proc.ts";
import { deadline } from "./lib/server.ts";
import { median, percentile } from "./lib/stats.ts";
import { printTable, verdict, type Row } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    days: { type: "string", default: "30" },
    requests: { type: "string", default: "200" },
    turn: { type: "string", default: "5" },
  },
});
const days = integerOption(values, "days", 1);
const requests = integerOption(values, "requests", 1);
const turnMinutes = integerOption(values, "turn", 1);
const TARGET_MS = 50;
const ROOM = "busy-team";
const PEOPLE = ["alice", "bob", "carol", "dana", "erin", "frank"];
const BREAK_EVERY = 6;
const BREAK_MINUTES = 10;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

deadline(15 * 60_000);

// Limits would refuse the fill, made faster than any team works, and measure the limiter.
const config: Config = { ...defaultConfig(), port: 0, writesPerMinute: 100_000_000, readsPerMinute: 100_000_000, maxRooms: 10_000_000, newRoomsPerHour: 10_000_000 };

/** Today's midnight, UTC: the busy days end with today. */
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;

async function measure(label: string, store: (clock: ManualClock) => Promise<Store>): Promise<Row[]> {
  const clock = new ManualClock(today - (days - 1) * DAY_MS);
  const app = await createApp(config, { clock, store: await store(clock) });
  const ask = async (path: string, init: RequestInit = {}) => {
    const res = await app.fetch(new Request(`http://localhost${path}`, { ...init, headers: { host: "localhost" } }));
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${text}`);
    return text;
  };
  try {
    for (const name of PEOPLE) await ask(`/api/rooms/${ROOM}/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
    await ask(`/api/rooms/${ROOM}/cadence`, { method: "PUT", body: JSON.stringify({ turns: BREAK_EVERY, minutes: null }) });
    let turns = 0;
    const fillStart = performance.now();
    for (let day = 0; day < days; day++) {
      const start = today - (days - 1 - day) * DAY_MS + 9 * 60 * MINUTE_MS;
      clock.advance(start - clock.now());
      while (clock.now() < start + 8 * 60 * MINUTE_MS) {
        await ask(`/${ROOM}`, { method: "PUT", body: JSON.stringify({ timer: turnMinutes, user: PEOPLE[turns % PEOPLE.length] }) });
        clock.advance(turnMinutes * MINUTE_MS);
        if (++turns % BREAK_EVERY === 0) {
          await ask(`/${ROOM}`, { method: "PUT", body: JSON.stringify({ breaktimer: BREAK_MINUTES, user: "" }) });
          clock.advance(BREAK_MINUTES * MINUTE_MS);
        }
      }
    }
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const panel = await ask(`/api/rooms/${ROOM}/stats/panel`);
    // The panel must show the team, or the timing measures an empty answer.
    for (const name of PEOPLE) if (!panel.includes(`<th scope="row">${name}</th>`)) throw new Error(`${label}: the panel does not show ${name}:\n${panel}`);
    const timed = async (path: string, target: boolean): Promise<Row> => {
      const samples: number[] = [];
      const cpu = process.cpuUsage();
      for (let i = 0; i < requests; i++) {
        const began = performance.now();
        await ask(path);
        samples.push(performance.now() - began);
      }
      const { user, system } = process.cpuUsage(cpu);
      const p99 = percentile(samples, 0.99);
      const cpuMs = (user + system) / 1000 / requests;
      return [label, path.replace(`/api/rooms/${ROOM}`, "…"), turns, fillSeconds, median(samples), p99, Math.max(...samples), cpuMs, target ? verdict(p99 < TARGET_MS) : "(no target)"];
    };
    return [await timed(`/api/rooms/${ROOM}/stats/panel`, true), await timed(`/api/rooms/${ROOM}/stats?days=${days}`, false)];
  } finally {
    await app.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), "mob-timer-bench-"));
const redis = redisInstalled ? await startRedis("always") : null;
try {
  console.log(machineLine());
  const { maxHistory, roomStatsDays } = config;
  const rows = [
    ...(await measure("memory", async (clock) => new MemoryStore(clock, maxHistory, roomStatsDays))),
    ...(await measure("sqlite", (clock) => SqliteStore.open(join(dir, "sqlite"), clock, maxHistory, false, roomStatsDays))),
    ...(redis ? await measure("redis always", (clock) => RedisStore.open(redis.url, clock, silentLogger, { maxHistory, roomStatsDays })) : []),
  ];
  printTable(
    `${requests} requests one after another, ${days} days of a busy room (${PEOPLE.length} people, ${turnMinutes}-minute turns, 8 hours a day)`,
    ["store", "GET /api/rooms/<room>", "turns", "fill s", "median ms", "p99 ms", "max ms", "CPU ms each", `p99 < ${TARGET_MS} ms`],
    rows,
  );
  if (rows.some((row) => row[8] === verdict(false))) process.exit(1);
} finally {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}
