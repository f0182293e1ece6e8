// The Redis store, when the configuration names one: openStore asks here first.
import type { Clock } from "../clock.ts";
import { withoutPassword, type Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { RedisStore } from "./redis.ts";

/** The store in the Redis of REDIS_URL, or null without one. Never throws: see RedisStore.open. */
export function openRedisStore(config: Pick<Config, "redisUrl" | "maxHistory">, clock: Clock, logger: Logger): Promise<RedisStore> | null {
  if (config.redisUrl === "") return null;
  return RedisStore.open(config.redisUrl, clock, logger, { shownAs: withoutPassword(config.redisUrl), maxHistory: config.maxHistory });
}
