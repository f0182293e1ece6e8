// A room whose history aged past HISTORY_HOURS while the server was stopped: the start
// numbers its expiry, as the running server's sweep does, so that a client resuming from the
// number it saw learns of it. The same with each store.
import { describe, expect, test } from "bun:test";
import { createApp } from "../lib/app.ts";
import { silentLogger } from "../lib/base/log.ts";
import { defaultConfig } from "../lib/config.ts";
import type { RoomChange } from "../lib/domain/changes.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import type { Store } from "../lib/store/store.ts";
import { ManualClock, tempDirs } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";
import { T0 } from "./store-contract.ts";

const HOUR = 3_600_000;
const tempDir = tempDirs("start-expiry");

function timer(user: string, at: number): RoomChange {
  return { kind: "timer", entry: { timer: 5, requested: new Date(at).toISOString(), user, nextUser: null, type: "TIMER" } };
}

/** Two timers and a goal, stored at T0: change number 3. */
async function roomOfThree(store: Store): Promise<void> {
  await store.append("aged", timer("alice", T0), 1);
  await store.append("aged", timer("bob", T0 + 1000), 2);
  await store.append("aged", { kind: "goal-set", goal: { goal: "ship it", user: "alice", requested: new Date(T0 + 2000).toISOString() } }, 3);
}

/** Starts an app on `store` a day and an hour after the room was stored, and resumes from number 3. */
async function resumeAfterStart(store: Store, clock: ManualClock): Promise<void> {
  await roomOfThree(store);
  clock.advance(25 * HOUR);
  const app = await createApp({ ...defaultConfig(), port: 0 }, { store, clock });
  try {
    const resumed = await app.fetch(new Request("http://localhost/api/rooms/aged?since=3&wait=1"));
    expect(resumed.status).toBe(200);
    const room = (await resumed.json()) as { seq: number; history: unknown[]; goal: { goal: string } };
    expect(room.seq).toBe(4);
    expect(room.history).toEqual([]);
    expect(room.goal.goal).toBe("ship it");
    expect((await store.readRoom("aged")).seq).toBe(4);
  } finally {
    await app.close();
  }
}

test("memory: the start numbers an expiry that happened while the server was stopped", async () => {
  const clock = new ManualClock(T0);
  await resumeAfterStart(new MemoryStore(clock), clock);
});

test("sqlite: the start numbers an expiry that happened while the server was stopped", async () => {
  const clock = new ManualClock(T0);
  await resumeAfterStart(await SqliteStore.open(tempDir(), clock), clock);
});

describe.skipIf(!redisInstalled)("redis", () => {
  const redis = sharedRedis();
  test("redis: the start numbers an expiry that happened while the server was stopped", async () => {
    const clock = new ManualClock(T0);
    await resumeAfterStart(await RedisStore.open(redis().url, clock, silentLogger, { prefix: "start-expiry:" }), clock);
  });
});

test("a room read after its history aged whole shows it until the sweep numbers the expiry", async () => {
  const clock = new ManualClock(T0);
  const store = new MemoryStore(clock);
  const app = await createApp({ ...defaultConfig(), port: 0 }, { store, clock });
  try {
    await roomOfThree(store);
    clock.advance(25 * HOUR);
    const before = (await (await app.fetch(new Request("http://localhost/api/rooms/aged"))).json()) as { seq: number; history: unknown[] };
    expect(before.seq).toBe(3);
    await app.rooms.sweep();
    const after = (await (await app.fetch(new Request("http://localhost/api/rooms/aged?since=3&wait=1"))).json()) as { seq: number; history: unknown[] };
    expect(after).toMatchObject({ seq: 4, history: [] });
  } finally {
    await app.close();
  }
});
