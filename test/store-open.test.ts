// The store the configuration asks for, with the history cap it sets.
import { expect, test } from "bun:test";
import { join } from "node:path";
import type { RoomChange } from "../lib/domain/changes.ts";
import { openStore } from "../lib/store/open.ts";
import { DATABASE_FILE } from "../lib/store/sqlite.ts";
import { ManualClock, tempDirs } from "./helpers.ts";

const tempDir = tempDirs("open");
const T0 = Date.parse("2026-11-21T09:00:00.000Z");

function timer(user: string): RoomChange {
  return { kind: "timer", entry: { timer: 10, requested: new Date(T0).toISOString(), user, nextUser: null, type: "TIMER" } };
}

test.each([
  ["--in-memory", (dir: string) => ({ dataDir: dir, inMemory: true }), "memory", () => "memory"],
  ["DATA_DIR=:memory:", () => ({ dataDir: ":memory:", inMemory: false }), "memory", () => "memory"],
  ["a data directory", (dir: string) => ({ dataDir: dir, inMemory: false }), "sqlite", (dir: string) => join(dir, DATABASE_FILE)],
])("%s opens the store it asks for, with the configured history cap", async (_, settings, kind, location) => {
  const dir = tempDir();
  const store = await openStore({ ...settings(dir), maxHistory: 2, roomStatsDays: 30, redisUrl: "", redisCaFile: "", redisCertFile: "", redisKeyFile: "" }, new ManualClock(T0));
  try {
    expect(store.kind).toBe(kind);
    expect(store.location).toBe(location(dir));
    for (const [i, user] of ["a", "b", "c"].entries()) await store.append("r", timer(user), i + 1);
    expect((await store.readRoom("r")).history.map((e) => e.user)).toEqual(["b", "c"]);
  } finally {
    await store.close();
  }
});
