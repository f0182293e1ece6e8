import { SqliteStore } from "../lib/store/sqlite.ts";
import { storeContract } from "./store-contract.ts";
import { tempDirs } from "./helpers.ts";

const tempDir = tempDirs("store");

storeContract("sqlite", (clock, maxHistory) => SqliteStore.open(tempDir(), clock, maxHistory));
