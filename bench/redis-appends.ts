// What batching saves the Redis store: appends to 100 rooms with 16 and 64 in flight, each
// as a script call of its own and through the store's batches (lib/store/redis-batch.ts),
// alternating for three rounds; appends per second and Redis's CPU per append. Needs
// /usr/bin/redis-server; starts its own (appendfsync always) on a free port.
//
//   bun bench/redis-appends.ts [--appends 8000] [--rounds 3]
import { parseArgs } from "node:util";
import { isoTime } from "../lib/base/clock.ts";
import type { RoomChange } from "../lib/domain/changes.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { APPEND, type Script } from "../lib/store/redis-scripts.ts";
import { redisInstalled, startRedis } from "../test/redis-server.ts";
import { integerOption } from "./lib/args.ts";
import { cpuSeconds, machineLine } from "./lib/proc.ts";
import { deadline } from "./lib/server.ts";
import { printTable, type Row } from "./lib/table.ts";

const { values } = parseArgs({ options: { appends: { type: "string", default: "8000" }, rounds: { type: "string", default: "3" } } });
const appends = integerOption(values, "appends", 1);
const rounds = integerOption(values, "rounds", 1);
if (!redisInstalled) process.exit(2);
deadline(10 * 60_000);

const PREFIX = "bench:";
const redis = await startRedis("always");
const store = await RedisStore.open(redis.url, { now: Date.now }, silentLogger, { prefix: PREFIX, maxHistory: 1000 });
// The bench alone reaches past the interface, to send one change per script call as the store did before batches.
const unbatched = store as unknown as { run(script: Script, args: string[]): Promise<unknown> };
const seqs = new Map<string, number>();

/** The next change of one of 100 rooms, with the store's arguments for a script call of its own. */
function next(i: number): { room: string; seq: number; change: RoomChange; args: string[] } {
  const room = `room-${i % 100}`;
  const seq = (seqs.get(room) ?? 0) + 1;
  seqs.set(room, seq);
  const now = Date.now();
  const entry = { timer: 10, requested: isoTime(now), user: `user-${i % 7}`, nextUser: null, type: "TIMER" as const };
  const change: RoomChange = { kind: "timer", entry };
  const day = isoTime(now).slice(0, 10);
  const hour = String(new Date(now).getUTCHours());
  const args = [room, String(seq), "entry", JSON.stringify(entry), String(now), String(now + 600_000), "1000", isoTime(now), JSON.stringify({ room, seq, change }), `${PREFIX}events@0`, "timer:10", `day:${day}`, `hour:${hour}`];
  return { room, seq, change, args };
}

async function measure(inFlight: number, append: (i: number) => Promise<unknown>): Promise<[number, number]> {
  const cpu = cpuSeconds(redis.pid);
  const start = performance.now();
  let sent = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (sent < appends) await append(sent++);
  }));
  return [(appends / (performance.now() - start)) * 1000, ((cpuSeconds(redis.pid) - cpu) / appends) * 1e6];
}

const rows: Row[] = [];
try {
  console.log(machineLine());
  for (let round = 1; round <= rounds; round++) {
    for (const inFlight of [16, 64]) {
      const [alonePerSecond, aloneCpu] = await measure(inFlight, (i) => {
        const { args } = next(i);
        return unbatched.run(APPEND, [String(args.length), ...args]);
      });
      const [batchedPerSecond, batchedCpu] = await measure(inFlight, (i) => {
        const { room, seq, change } = next(i);
        return store.append(room, change, seq);
      });
      rows.push([round, inFlight, alonePerSecond, batchedPerSecond, `${aloneCpu.toFixed(0)} / ${batchedCpu.toFixed(0)}`]);
    }
  }
} finally {
  await store.close();
  await redis.stop();
}
printTable(`${appends} appends to 100 rooms, appendfsync always`, ["round", "in flight", "one call each /s", "batched /s", "Redis CPU µs per append, one / batched"], rows);
