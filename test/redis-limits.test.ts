// Per-address budgets with several instances on one Redis: counted for the service, so
// that spreading requests over instances gives a client no more than one instance would.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import type { Config } from "../lib/config.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { startServer } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

describe.skipIf(!redisInstalled)("budgets across instances", () => {
  const shared = sharedRedis();
  let prefixes = 0;

  function service(overrides: Partial<Config>) {
    const prefix = `limits-${++prefixes}:`;
    return async () => startServer({ redisUrl: shared().url, ...overrides }, { store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix }) });
  }

  test("changes spread over two instances spend one write budget", async () => {
    const start = service({ writesPerMinute: 4 });
    await using a = await start();
    await using b = await start();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? b : a).put("/budget", { timer: 5, user: `u${i}` })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    const refused = await a.put("/budget", { timer: 5, user: "late" });
    expect([refused.status, Number(refused.headers.get("retry-after"))]).toEqual([429, 15]);
    expect((await refused.json()).error).toContain("at most 4 a minute");
  });

  test("new rooms made on two instances count against one hourly limit", async () => {
    const start = service({ newRoomsPerHour: 2 });
    await using a = await start();
    await using b = await start();
    expect((await a.put("/room-1", { timer: 5, user: "alice" })).status).toBe(202);
    expect((await b.put("/room-2", { timer: 5, user: "alice" })).status).toBe(202);
    for (const server of [a, b]) {
      const refused = await server.put("/room-3", { timer: 5, user: "alice" });
      expect([refused.status, (await refused.json()).error]).toEqual([429, expect.stringContaining("new rooms")]);
    }
    // Rooms that exist go on.
    expect((await b.put("/room-1", { timer: 5, user: "bob" })).status).toBe(202);
  });

  test("reads stay counted per instance", async () => {
    const start = service({ readsPerMinute: 2 });
    await using a = await start();
    await using b = await start();
    const statuses = [];
    for (const server of [a, a, b, b, a]) statuses.push((await fetch(`${server.url}/room/goal`)).status);
    expect(statuses).toEqual([204, 204, 204, 204, 429]);
  });
});
