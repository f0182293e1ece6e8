// The start's look at stored rooms: a running room comes into memory with only its latest
// entry until something asks for the rest, and health tells a store busy with the look
// from a failing one.
import { expect, test } from "bun:test";
import { createApp } from "../lib/app.ts";
import { defaultConfig } from "../lib/config.ts";
import type { RoomChange } from "../lib/domain/changes.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import type { RoomState, Store } from "../lib/store/store.ts";
import { ManualClock, tempDirs } from "./helpers.ts";
import { T0 } from "./store-contract.ts";

const tempDir = tempDirs("start-look");
const config = { ...defaultConfig(), port: 0 };

function timer(user: string, at: number): RoomChange {
  return { kind: "timer", entry: { timer: 10, requested: new Date(at).toISOString(), user, nextUser: null, type: "TIMER" } };
}

test("a running room is brought in at start with its latest entry only; a read or a change brings the rest", async () => {
  const clock = new ManualClock(T0);
  const dir = tempDir();
  const store = await SqliteStore.open(dir, clock);
  for (let seq = 1; seq <= 30; seq++) await store.append("long", timer(`user-${seq}`, T0 + seq * 1000), seq);
  await store.close();
  clock.advance(60_000);
  const app = await createApp(config, { store: await SqliteStore.open(dir, clock), clock });
  try {
    expect(app.rooms.find("long")?.history.map((entry) => entry.user)).toEqual(["user-30"]);
    expect(app.rooms.runningCount()).toBe(1);
    const read = (await (await app.fetch(new Request("http://localhost/api/rooms/long"))).json()) as { seq: number; history: unknown[] };
    expect(read).toMatchObject({ seq: 30 });
    expect(read.history).toHaveLength(30);
    expect(app.rooms.find("long")?.history).toHaveLength(30);
  } finally {
    await app.close();
  }
});

test("health says the store is starting, not failing, while the start's look at ended timers runs", async () => {
  const clock = new ManualClock(T0);
  let lookDone = () => {};
  const memory = new MemoryStore(clock);
  const store: Store = Object.assign(Object.create(memory) as MemoryStore, {
    // The time-up job's look (rooms with settings) waits, as behind a large database.
    runningRooms: (now: number, withSettings = false): RoomState[] | Promise<RoomState[]> =>
      withSettings ? new Promise<RoomState[]>((resolve) => (lookDone = () => resolve(memory.runningRooms(now, true)))) : memory.runningRooms(now),
    check: () => Promise.reject(new Error("did not answer within 2000 ms")),
  });
  const app = await createApp(config, { store, clock });
  try {
    const health = async () => {
      const res = await app.fetch(new Request("http://localhost/api/health"));
      return [res.status, ((await res.json()) as { storage: { status: string } }).storage.status];
    };
    expect(await health()).toEqual([503, "starting"]);
    lookDone();
    await Bun.sleep(0);
    expect(await health()).toEqual([503, "failing"]);
  } finally {
    await app.close();
  }
});
