// Which store the configuration asks for: SQLite in the data directory unless told to keep
// nothing.
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { SqliteStore } from "./store-sqlite.ts";
import { MemoryStore, type Store } from "./store.ts";

/** Throws StoreError, with the path and the reason, when the database cannot be opened. */
export async function openStore(config: Pick<Config, "dataDir" | "inMemory">, clock: Clock): Promise<Store> {
  if (config.inMemory || config.dataDir === ":memory:") return new MemoryStore();
  return SqliteStore.open(config.dataDir, clock);
}
