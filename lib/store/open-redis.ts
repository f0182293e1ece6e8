// The Redis store, when the configuration names one: openStore asks here first.
import type { Clock } from "../clock.ts";
import { withoutPassword, type Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { RedisStore } from "./redis.ts";
import { readCaFile } from "./redis-tls.ts";
import { StoreError } from "./store.ts";

/**
 * The store in the Redis of REDIS_URL, or null without one. Throws StoreError only for a
 * REDIS_CA_FILE that cannot be used; an unreachable Redis does not throw: see RedisStore.open.
 */
export function openRedisStore(config: Pick<Config, "redisUrl" | "redisCaFile" | "maxHistory">, clock: Clock, logger: Logger): Promise<RedisStore> | null {
  // Given with redis://, the CA would quietly turn TLS on; without REDIS_URL it would be ignored.
  if (config.redisCaFile !== "" && !/^rediss:/i.test(config.redisUrl)) {
    throw new StoreError(`REDIS_CA_FILE is for a Redis over TLS: it needs a rediss:// REDIS_URL, got "${withoutPassword(config.redisUrl)}"`);
  }
  if (config.redisUrl === "") return null;
  const ca = config.redisCaFile === "" ? undefined : readCaFile(config.redisCaFile);
  return RedisStore.open(config.redisUrl, clock, logger, { shownAs: withoutPassword(config.redisUrl), maxHistory: config.maxHistory, ca });
}
