// Which store the configuration asks for.
import type { Clock } from "../clock.ts";
import type { Config } from "../config.ts";
import { MemoryStore } from "./memory.ts";
import type { Store } from "./store.ts";

/** Throws StoreError, with the path and the reason, when the database cannot be opened. */
export async function openStore(config: Pick<Config, "dataDir" | "inMemory" | "maxHistory">, clock: Clock): Promise<Store> {
  return new MemoryStore(clock, config.maxHistory);
}
