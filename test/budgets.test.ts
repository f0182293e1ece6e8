// A caller's budgets behind one interface: token buckets in this process, the same buckets
// in a store several instances share, and slots of what is held.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { LocalBudget, SharedBudget, sharedWhereStored, Slots } from "../lib/http/budgets.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

const T0 = Date.parse("2026-01-01T10:00:00Z");

test("a budget in memory allows a burst of its capacity, then one a window's share, and says how long to wait", () => {
  const budget = new LocalBudget(4, 60_000);
  expect([1, 2, 3, 4, 5].map(() => budget.take("alice", T0))).toEqual([null, null, null, null, 15]);
  expect(budget.take("bob", T0)).toBeNull();
  expect(budget.take("alice", T0 + 15_000)).toBeNull();
  expect(budget.take("alice", T0 + 15_000)).toBe(15);
});

test("slots are held until given back, per key", () => {
  const slots = new Slots(2);
  expect([slots.take("alice"), slots.take("alice"), slots.take("alice"), slots.take("bob")]).toEqual([null, null, 10, null]);
  slots.giveBack("alice");
  expect(slots.take("alice")).toBeNull();
});

test("a store of one process keeps budgets in this process", () => {
  expect(sharedWhereStored(new MemoryStore(), "writes", 4, 60_000)).toBeInstanceOf(LocalBudget);
});

describe.skipIf(!redisInstalled)("a budget in Redis", () => {
  const shared = sharedRedis();

  test("holds for every instance: a client's writes over its budget are refused with the service-wide count", async () => {
    const prefix = "budgets-writes:";
    const stores = [await RedisStore.open(shared().url, systemClock, silentLogger, { prefix }), await RedisStore.open(shared().url, systemClock, silentLogger, { prefix })];
    try {
      const [onA, onB] = stores.map((store) => sharedWhereStored(store, "writes", 4, 60_000)) as [SharedBudget, SharedBudget];
      expect(onA).toBeInstanceOf(SharedBudget);
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await (i % 2 ? onB : onA).take("alice", T0));
      expect(answers).toEqual([null, null, null, null, 15, 15]);
      expect(await onB.take("bob", T0)).toBeNull();
      expect(await onA.take("alice", T0 + 15_000)).toBeNull();
    } finally {
      for (const store of stores) await store.close();
    }
  });
});
