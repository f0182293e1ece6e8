// The Redis store, when the configuration names one: openStore asks here first.
import type { Clock } from "../base/clock.ts";
import { withoutPassword, type Config } from "../config.ts";
import type { Logger } from "../base/log.ts";
import { RedisStore } from "./redis.ts";
import { readRedisTls } from "./redis-tls-files.ts";

/**
 * The store in the Redis of REDIS_URL, or null without one. Throws StoreError only for TLS
 * files (REDIS_CA_FILE, REDIS_CERT_FILE, REDIS_KEY_FILE) that cannot be used; an unreachable
 * Redis does not throw: see RedisStore.open.
 */
export function openRedisStore(
  config: Pick<Config, "redisUrl" | "redisCaFile" | "redisCertFile" | "redisKeyFile" | "maxHistory" | "roomStatsDays">,
  clock: Clock,
  logger: Logger,
): Promise<RedisStore> | null {
  const tls = readRedisTls(config);
  if (config.redisUrl === "") return null;
  return RedisStore.open(config.redisUrl, clock, logger, { shownAs: withoutPassword(config.redisUrl), maxHistory: config.maxHistory, roomStatsDays: config.roomStatsDays, tls });
}
