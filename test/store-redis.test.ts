// The Redis store holds to the same contract as every store, against a real redis-server.
import { describe, expect, test } from "bun:test";
import type { RoomEvent } from "../lib/domain/changes.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { eventually, ManualClock } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";
import { storeContract, T0 } from "./store-contract.ts";

describe.skipIf(!redisInstalled)("redis", () => {
  const redis = sharedRedis();
  let stores = 0;

  // Each store of the suite has keys of its own: a fresh, empty store on the one server.
  storeContract("redis", (clock, maxHistory) => RedisStore.open(redis().url, clock, silentLogger, { prefix: `contract-${++stores}:`, maxHistory }));

  test("services on two databases of one Redis keep their rooms and their changes apart", async () => {
    const clock = new ManualClock(T0);
    const [zero, one] = await Promise.all([0, 1].map((db) => RedisStore.open(`${redis().url}/${db}`, clock, silentLogger)));
    try {
      const heard: RoomEvent[][] = [[], []];
      zero!.subscribe((event) => heard[0]!.push(event));
      one!.subscribe((event) => heard[1]!.push(event));
      const entry = { timer: 5, requested: new Date(T0).toISOString(), user: "alice", nextUser: null, type: "TIMER" as const };
      expect(await zero!.append("shared-name", { kind: "timer", entry }, 1)).toEqual({ ok: true });
      await eventually(() => heard[0]!.length === 1);
      expect(heard[1]).toEqual([]);
      expect((await one!.readRoom("shared-name")).seq).toBe(0);
    } finally {
      await Promise.all([zero!.close(), one!.close()]);
    }
  });

  test("changes made at once go to Redis in a few script calls, each with its own answer", async () => {
    const clock = new ManualClock(T0);
    const store = await RedisStore.open(redis().url, clock, silentLogger, { prefix: "batched:" });
    try {
      const evalCalls = async () => {
        const stats = String(await redis().command("INFO", "commandstats"));
        return [...stats.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
      };
      const entry = (user: string) => ({ kind: "timer" as const, entry: { timer: 5, requested: new Date(T0).toISOString(), user, nextUser: null, type: "TIMER" as const } });
      const before = await evalCalls();
      const answers = await Promise.all([
        ...Array.from({ length: 30 }, (_, i) => store.append(`room-${i}`, entry(`user-${i}`), 1)),
        store.append("room-0", entry("late"), 5),
      ]);
      expect(answers).toEqual([...Array.from({ length: 30 }, () => ({ ok: true as const })), { ok: false as const, seq: 1 }]);
      expect(await evalCalls()).toBeLessThanOrEqual(before + 3);
      expect((await store.readRoom("room-29")).history.map((e) => e.user)).toEqual(["user-29"]);
    } finally {
      await store.close();
    }
  });

  test("settings read back, from the room or from the feed, are decoded: a malformed feature is dropped", async () => {
    const clock = new ManualClock(T0);
    const store = await RedisStore.open(redis().url, clock, silentLogger, { prefix: "decoded:" });
    try {
      const cadence = { turns: 2, minutes: null };
      await redis().command("HSET", "decoded:room:team", "settings", JSON.stringify({ cadence, owner: { hash: 1 } }));
      expect((await store.readRoom("team")).settings).toEqual({ cadence });
      const heard: RoomEvent[] = [];
      store.subscribe((event) => heard.push(event));
      const cause = { type: "cadence" as const, user: null };
      const change = { kind: "settings", settings: { cadence, roster: { members: "ann" } }, cause };
      await redis().command("PUBLISH", "decoded:events@0", JSON.stringify({ room: "team", seq: 1, change }));
      await eventually(() => heard.length === 1);
      expect(heard[0]!.change).toEqual({ kind: "settings", settings: { cadence }, cause });
    } finally {
      await store.close();
    }
  });
});
