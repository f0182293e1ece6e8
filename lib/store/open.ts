// Which store the configuration asks for: Redis when REDIS_URL names one, else SQLite in
// the data directory, unless told to keep nothing.
import type { Clock } from "../base/clock.ts";
import type { Config } from "../config.ts";
import { silentLogger, type Logger } from "../base/log.ts";
import { MemoryStore } from "./memory.ts";
import { openRedisStore } from "./open-redis.ts";
import { SqliteStore } from "./sqlite.ts";
import type { Store } from "./store.ts";

/**
 * Rejects with StoreError, naming the file and the reason, when the database (or a TLS file
 * for Redis) cannot be opened. `readOnly` is for an export: SQLite is then read beside the server that owns it.
 */
export async function openStore(
  config: Pick<Config, "dataDir" | "inMemory" | "maxHistory" | "roomStatsDays" | "redisUrl" | "redisCaFile" | "redisCertFile" | "redisKeyFile">,
  clock: Clock,
  logger: Logger = silentLogger,
  readOnly = false,
): Promise<Store> {
  const shared = openRedisStore(config, clock, logger);
  if (shared) return shared;
  if (config.inMemory || config.dataDir === ":memory:") return new MemoryStore(clock, config.maxHistory, config.roomStatsDays);
  return SqliteStore.open(config.dataDir, clock, config.maxHistory, readOnly, config.roomStatsDays);
}
