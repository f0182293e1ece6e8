import { MemoryStore } from "../lib/store/memory.ts";
import { storeContract } from "./store-contract.ts";

storeContract("memory", async (clock, maxHistory) => new MemoryStore(clock, maxHistory));
