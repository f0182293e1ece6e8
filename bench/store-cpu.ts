// The SQLite store's CPU per change, without HTTP: 64 timers at a time over 1,000 rooms (as
// S4's wrk sends them), through SqliteStore.append, for a few seconds after a warm-up; then
// the CPU each thread of this process spent per change, from /proc (Linux only). Pin it to
// one core (taskset -c 0) to compare builds: the figure is the store's share of a PUT's CPU.
// S4 leaves about 150,000 timers behind, and a change costs more in a larger database: the
// run starts on that many (written 1,000 at a time, not measured).
// Run: taskset -c 0 bun bench/store-cpu.ts [seconds, default 5] [timers before, default 150000]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../lib/store/sqlite.ts";

const seconds = Number(process.argv[2] ?? 5);
const prefill = Number(process.argv[3] ?? 150_000);
const ROOMS = 1000;
const AT_ONCE = 64;
const TICK_US = 10_000;

function threads(): Map<string, { name: string; ticks: number }> {
  const found = new Map<string, { name: string; ticks: number }>();
  for (const tid of readdirSync("/proc/self/task")) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const name = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
    found.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return found;
}

const dir = mkdtempSync(join(tmpdir(), "mob-timer-store-cpu-"));
const store = await SqliteStore.open(dir, { now: Date.now });
const seqs = new Array<number>(ROOMS).fill(0);
let next = 0;
function one(): Promise<unknown> {
  const room = next++ % ROOMS;
  const entry = { timer: 10, requested: new Date().toISOString(), user: "bench-wrk", nextUser: null, type: "TIMER" as const };
  return store.append(`room-${room}`, { kind: "timer", entry }, ++seqs[room]!);
}
async function runFor(ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  // Each of AT_ONCE clients sends its next change once its last one is answered.
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (performance.now() < until) {
        await one();
        done++;
      }
    }),
  );
  return done;
}

while (next < prefill) await Promise.all(Array.from({ length: 1000 }, one));
await runFor(2000);
const before = threads();
const started = performance.now();
const done = await runFor(seconds * 1000);
const elapsed = (performance.now() - started) / 1000;
const after = threads();
const perThread = new Map<string, number>();
let total = 0;
for (const [tid, { name, ticks }] of after) {
  const spent = ((ticks - (before.get(tid)?.ticks ?? 0)) * TICK_US) / done;
  perThread.set(name, (perThread.get(name) ?? 0) + spent);
  total += spent;
}
const shown = [...perThread].filter(([, us]) => us >= 0.5).map(([name, us]) => `${name} ${us.toFixed(1)}`).join(", ");
console.log(`${(done / elapsed).toFixed(0)} changes/s, ${total.toFixed(1)} µs of CPU per change (${shown})`);
await store.close();
rmSync(dir, { recursive: true, force: true });
