// The start page's counts and health's listeners with several instances on one Redis: the
// whole service's, whichever instance is asked.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { EventReader, eventually, startServer } from "./helpers.ts";
import { redisInstalled, sharedRedis, startRedis } from "./redis-server.ts";

describe.skipIf(!redisInstalled)("counts across instances", () => {
  const shared = sharedRedis();
  let prefixes = 0;
  /** Counts five times a second where a test waits for reports to stop or run out (after three rounds). */
  const QUICK_COUNTS_MS = 200;

  function service(countsMs = 1000) {
    const prefix = `counts-${++prefixes}:`;
    return async () => startServer({ redisUrl: shared().url, countsMs }, { store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix }) });
  }

  /** The latest counts a start-page stream has been sent, as [listeners, timers]. */
  async function latestCounts(reader: EventReader): Promise<[number, number]> {
    const users = await reader.next("ACTIVE_USERS_UPDATE", 3000);
    const timers = await reader.next("ACTIVE_TIMERS_UPDATE", 3000);
    return [Number(users.data), Number(timers.data)];
  }

  test("listeners and running timers on one instance count on the start page, its stream and health of another", async () => {
    const start = service();
    await using a = await start();
    await using b = await start();
    const onA = await Promise.all([EventReader.open(`${a.url}/x/events`), EventReader.open(`${a.url}/y/events`)]);
    try {
      expect((await a.put("/x", { timer: 10, user: "alice" })).status).toBe(202);
      await using index = await EventReader.open(`${b.url}/events`);
      let seen: [number, number] = [0, 0];
      await eventually(async () => (seen = await latestCounts(index))[0] === 2 && seen[1] === 1, 5000);
      expect(await (await fetch(`${b.url}/api/health`)).json()).toMatchObject({ listeners: 2 });
      const page = await (await fetch(`${b.url}/`)).text();
      expect(page).toContain('<strong id="listeners">2</strong>');
      expect(page).toContain('<strong id="timers">1</strong>');
      // B's own listener counts at once, without waiting for a report.
      await using onB = await EventReader.open(`${b.url}/z/events`);
      await onB.replay();
      expect(await (await fetch(`${b.url}/api/health`)).json()).toMatchObject({ listeners: 3 });
    } finally {
      for (const reader of onA) reader.close();
    }
  }, 15_000);

  test("while Redis is away an instance shows its own counts, not the others' last ones", async () => {
    await using own = await startRedis();
    const instance = async () => startServer({ redisUrl: own.url, countsMs: QUICK_COUNTS_MS }, { store: await RedisStore.open(own.url, systemClock, silentLogger, { prefix: "away:" }) });
    await using a = await instance();
    await using b = await instance();
    await using listener = await EventReader.open(`${a.url}/x/events`);
    await listener.replay();
    const listenersOnB = async () => (await (await fetch(`${b.url}/api/health`)).json()).listeners;
    await eventually(async () => (await listenersOnB()) === 1, 5000);
    await own.kill();
    await eventually(async () => (await listenersOnB()) === 0, 5000);
  }, 15_000);

  test("an instance that stops reporting drops out of the counts", async () => {
    const start = service(QUICK_COUNTS_MS);
    const a = await start();
    await using b = await start();
    await using listener = await EventReader.open(`${a.url}/x/events`);
    await listener.replay();
    await eventually(async () => (await (await fetch(`${b.url}/api/health`)).json()).listeners === 1, 5000);
    // Closed without a word to Redis, as a killed one: its last report runs out after three intervals.
    await a.close();
    await eventually(async () => (await (await fetch(`${b.url}/api/health`)).json()).listeners === 0, 6000);
  }, 15_000);
});
