// The SQLite store on its own, through its worker: what one sync costs on this disk (the
// floor under every commit), one append's wait, appends per second with group commit, the
// main thread's longest stall meanwhile, the CPU each thread spends per append once the
// database holds what S4 leaves behind (150,000 timers), and reads with 260,000 stored
// timers. Pin it to one core (`taskset -c 0`) to compare builds by CPU per append.
// Run: bun bench/store-sqlite.ts [seconds of load, default 5] [data directory's parent, default the temp dir].
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { RoomChange } from "../lib/domain/changes.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { ownThreadCpuSeconds } from "./lib/proc.ts";
import { median, percentile } from "./lib/stats.ts";

const seconds = Number(process.argv[2] ?? 5);
const parent = process.argv[3] ?? tmpdir();
const APPENDERS = 64;
const ROOMS = 1000;
const STORED = 260_000;
/** About what S4's 10 s leave in the database: a change costs more in a larger one. */
const AFTER_S4 = 150_000;
const HOUR = 3_600_000;

function timer(at: number, user: string, minutes = 10): RoomChange {
  return { kind: "timer", entry: { timer: minutes, requested: new Date(at).toISOString(), user, nextUser: null, type: "TIMER" } };
}

function fresh(): string {
  return mkdtempSync(join(parent, "mob-timer-bench-store-"));
}

/** A 4 KB write and its fsync, as a commit's log frame: the floor under every commit. */
function fsyncFloor(dir: string, count = 200): number[] {
  const fd = openSync(join(dir, "probe"), "w");
  const page = new Uint8Array(4096).fill(7);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      writeSync(fd, page, 0, page.length, (i % 16) * 4096);
      fsyncSync(fd);
      samples.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
  }
  return samples;
}

/** Gaps between timer callbacks beyond their 1 ms: how long the main thread was held. */
function stallWatch(): () => number {
  let last = performance.now();
  let longest = 0;
  const interval = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  return () => {
    clearInterval(interval);
    return longest;
  };
}

async function oneAtATime(store: SqliteStore, count = 200): Promise<number[]> {
  const samples: number[] = [];
  const now = Date.now();
  for (let seq = 1; seq <= count; seq++) {
    const started = performance.now();
    await store.append("single", timer(now, "alice"), seq);
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * APPENDERS writers, each owning every APPENDERS-th of ROOMS rooms, for `seconds`, after
 * `before` timers (not measured, written 1,000 at a time); with the CPU each thread of this
 * process spent per append meanwhile, in µs.
 */
async function load(store: SqliteStore, before = 0): Promise<{ perSecond: number; stallMs: number; waits: number[]; cpuUs: Map<string, number> }> {
  const seqs = new Map<string, number>();
  for (let written = 0; written < before; written += ROOMS) {
    await Promise.all(Array.from({ length: ROOMS }, (_, r) => store.append(`room-${r}`, timer(Date.now(), "user-0"), written / ROOMS + 1)));
  }
  for (let r = 0; r < ROOMS && before > 0; r++) seqs.set(`room-${r}`, before / ROOMS);
  const cpuBefore = ownThreadCpuSeconds();
  const waits: number[] = [];
  const now = Date.now();
  const deadline = performance.now() + seconds * 1000;
  let appended = 0;
  const stall = stallWatch();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: APPENDERS }, async (_, appender) => {
      for (let turn = 0; performance.now() < deadline; turn++) {
        const room = `room-${(appender + turn * APPENDERS) % ROOMS}`;
        const seq = (seqs.get(room) ?? 0) + 1;
        const asked = performance.now();
        const result = await store.append(room, timer(now, `user-${turn % 7}`), seq);
        waits.push(performance.now() - asked);
        if (!result.ok) throw new Error(`conflict in ${room}`);
        seqs.set(room, seq);
        appended++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuUs = new Map<string, number>();
  for (const [name, cpu] of ownThreadCpuSeconds()) cpuUs.set(name, ((cpu - (cpuBefore.get(name) ?? 0)) * 1e6) / appended);
  return { perSecond: appended / elapsed, stallMs: stall(), waits, cpuUs };
}

/** STORED timers over ROOMS rooms within the last day, a few still running; then reads. */
async function reads(dir: string): Promise<Record<string, number>> {
  const now = Date.now();
  const populate = await SqliteStore.open(dir, { now: () => now }, 1000);
  const perRoom = STORED / ROOMS;
  for (let i = 1; i <= perRoom; i++) {
    const at = now - 23 * HOUR + i * Math.floor((22 * HOUR) / perRoom);
    await Promise.all(Array.from({ length: ROOMS }, (_, r) => populate.append(`room-${r}`, timer(at, `user-${i % 7}`, i === perRoom && r % 50 === 0 ? 120 : 10), i)));
  }
  await populate.close();

  const store = await SqliteStore.open(dir, { now: () => now }, 1000);
  try {
    const started = performance.now();
    const running = await store.runningRooms(now);
    const runningMs = performance.now() - started;
    const roomMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const name = `room-${(i * 37) % ROOMS}`;
      const asked = performance.now();
      const room = await store.readRoom(name);
      roomMs.push(performance.now() - asked);
      if (room.history.length !== perRoom) throw new Error(`${name} has ${room.history.length} entries`);
    }
    const statsStarted = performance.now();
    await store.readStats(now);
    const statsMs = performance.now() - statsStarted;
    return { running: running.length, runningMs, roomMsMedian: median(roomMs), roomMsP99: percentile(roomMs, 0.99), statsMs };
  } finally {
    await store.close();
  }
}

const dirs: string[] = [];
console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(" ")} on ${navigator.hardwareConcurrency} CPUs`);
try {
  const floorDir = fresh();
  dirs.push(floorDir);
  const floor = fsyncFloor(floorDir);
  console.log(`fsync of a 4 KB write: median ${median(floor).toFixed(2)} ms, p99 ${percentile(floor, 0.99).toFixed(2)} ms`);

  const singleDir = fresh();
  dirs.push(singleDir);
  const single = await SqliteStore.open(singleDir, { now: Date.now });
  const alone = await oneAtATime(single);
  await single.close();
  console.log(`one append at a time: median ${median(alone).toFixed(2)} ms, p99 ${percentile(alone, 0.99).toFixed(2)} ms`);

  for (const before of [0, AFTER_S4]) {
    const loadDir = fresh();
    dirs.push(loadDir);
    const loaded = await SqliteStore.open(loadDir, { now: Date.now });
    const result = await load(loaded, before);
    await loaded.close();
    let cpu = 0;
    for (const us of result.cpuUs.values()) cpu += us;
    const threads = [...result.cpuUs].filter(([, us]) => us >= 0.5).map(([name, us]) => `${name} ${us.toFixed(1)}`);
    console.log(
      `${APPENDERS} appenders over ${ROOMS} rooms, ${seconds} s after ${before} timers: ${Math.round(result.perSecond)} appends/s, ` +
        `wait median ${median(result.waits).toFixed(2)} ms p99 ${percentile(result.waits, 0.99).toFixed(2)} ms, ` +
        `main thread's longest stall ${result.stallMs.toFixed(2)} ms, CPU per append ${cpu.toFixed(1)} µs (${threads.join(", ")})`,
    );
  }

  const readDir = fresh();
  dirs.push(readDir);
  const r = await reads(readDir);
  console.log(
    `${STORED} timers over ${ROOMS} rooms: readRoom median ${r.roomMsMedian!.toFixed(2)} ms p99 ${r.roomMsP99!.toFixed(2)} ms, ` +
      `runningRooms ${r.runningMs!.toFixed(2)} ms (${r.running} rooms), readStats ${r.statsMs!.toFixed(2)} ms`,
  );
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
