// Every timer has an owner and a stop path; every stream ends.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { EventReader, eventually, startServer } from "./helpers.ts";

const live = new Set<unknown>();
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

beforeEach(() => {
  live.clear();
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const id = realSetInterval(...args);
    live.add(id);
    return id;
  }) as typeof setInterval;
  globalThis.clearInterval = ((id: Parameters<typeof clearInterval>[0]) => {
    live.delete(id);
    realClearInterval(id);
  }) as typeof clearInterval;
});

afterEach(() => {
  globalThis.setInterval = realSetInterval;
  globalThis.clearInterval = realClearInterval;
});

test("listeners that close their connection are removed from their room", async () => {
  await using s = await startServer();
  const listeners = await Promise.all([1, 2, 3].map(() => EventReader.open(`${s.url}/r/events`)));
  await Promise.all(listeners.map((l) => l.replay()));
  expect(s.app.fanout.listeners("r")).toBe(3);
  listeners[0]!.close();
  await eventually(() => s.app.fanout.listeners("r") === 2);
  listeners[1]!.close();
  listeners[2]!.close();
  await eventually(() => s.app.fanout.size === 0);
});

test("close() ends every stream and clears every interval the app started", async () => {
  const s = await startServer();
  expect(live.size).toBeGreaterThan(0);
  const room = await EventReader.open(`${s.url}/r/events`);
  const index = await EventReader.open(`${s.url}/events`);
  await room.replay();
  await index.next();
  await s.close();
  await room.closedByServer();
  await index.closedByServer();
  expect(s.app.fanout.size).toBe(0);
  expect(s.app.indexStreams.size).toBe(0);
  expect(live.size).toBe(0);
});
