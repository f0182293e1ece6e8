// Which store the configuration asks for: SQLite in the data directory unless told to keep
// nothing.
import type { Clock } from "../clock.ts";
import { MemoryStore } from "./memory.ts";
import { SqliteStore } from "./sqlite.ts";
import type { Store } from "./store.ts";

export interface StoreConfig {
  dataDir: string;
  inMemory: boolean;
  /** Entries a room's history keeps at most. */
  maxHistory: number;
}

/** Rejects with StoreError, naming the file and the reason, when the database cannot be opened. */
export async function openStore(config: StoreConfig, clock: Clock): Promise<Store> {
  if (config.inMemory || config.dataDir === ":memory:") return new MemoryStore(clock, config.maxHistory);
  return SqliteStore.open(config.dataDir, clock, config.maxHistory);
}
