// Which store the configuration asks for.
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import { silentLogger, type Logger } from "../log.ts";
import { MemoryStore } from "./memory.ts";
import { openRedisStore } from "./open-redis.ts";
import type { Store } from "./store.ts";

/** Throws StoreError, with the path and the reason, when the database cannot be opened. */
export async function openStore(
  config: Pick<Config, "dataDir" | "inMemory" | "maxHistory" | "redisUrl">,
  clock: Clock,
  logger: Logger = silentLogger,
): Promise<Store> {
  const shared = openRedisStore(config, clock, logger);
  if (shared) return shared;
  return new MemoryStore(clock, config.maxHistory);
}
