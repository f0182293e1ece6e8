// The Redis store holds to the same contract as every store, against a real redis-server.
import { describe } from "bun:test";
import { silentLogger } from "../lib/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";
import { storeContract } from "./store-contract.ts";

describe.skipIf(!redisInstalled)("redis", () => {
  const redis = sharedRedis();
  let stores = 0;

  // Each store of the suite has keys of its own: a fresh, empty store on the one server.
  storeContract("redis", (clock, maxHistory) => RedisStore.open(redis().url, clock, silentLogger, { prefix: `contract-${++stores}:`, maxHistory }));
});
