// The room core as clients see it: a deleted goal's replay, several apps sharing one store
// (as instances share a database), and the in-process test layer.
import { expect, test } from "bun:test";
import { createApp } from "../lib/app.ts";
import { defaultConfig } from "../lib/config.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { EventReader, eventually, LateFeedStore, ManualClock, startServer } from "./helpers.ts";

test("a new listener after a goal deletion is told who deleted it and when", async () => {
  const clock = new ManualClock();
  await using s = await startServer({}, { clock });
  await s.put("/g/goal", { goal: "ship it", user: "alice" });
  clock.advance(1000);
  await fetch(`${s.url}/g/goal`, { method: "DELETE", body: JSON.stringify({ user: "bob" }) });
  await using events = await EventReader.open(`${s.url}/g/events`);
  const { goal } = await events.replay();
  expect(goal).toEqual({ goal: null, user: "bob", requested: "2026-11-21T09:00:01.000Z" });
});

test("two apps on one store give every listener the same changes with the same ids, in one order", async () => {
  const store = new MemoryStore();
  await using a = await startServer({}, { store });
  await using b = await startServer({}, { store });
  await using onA = await EventReader.open(`${a.url}/shared/events`);
  await using onB = await EventReader.open(`${b.url}/shared/events`);
  await onA.replay();
  await onB.replay();
  const users = ["alice", "bob", "carol", "dave", "erin", "frank"];
  const answers = await Promise.all(users.map((user, i) => (i % 2 ? b : a).put("/shared", { timer: 5, user })));
  expect(answers.map((r) => r.status)).toEqual(users.map(() => 202));
  const seenA = await Promise.all(users.map(() => onA.next("TIMER_REQUEST")));
  const seenB = await Promise.all(users.map(() => onB.next("TIMER_REQUEST")));
  expect(seenB).toEqual(seenA);
  expect(seenA.map((e) => Number(e.id))).toEqual([1, 2, 3, 4, 5, 6]);
  // The rotation follows the one order both saw.
  const order = seenA.map((e) => JSON.parse(e.data).user);
  expect(JSON.parse(seenA[1]!.data).nextUser).toBe(order[0]);
});

test("a change decided on a stale copy of the room is decided again, never shown to the client", async () => {
  // The second app's copy of the room is behind when it decides, so its first try takes a
  // number already taken.
  const store = new LateFeedStore();
  await using a = await startServer({}, { store });
  await using b = await startServer({}, { store });
  await using onB = await EventReader.open(`${b.url}/r/events`);
  await onB.replay();
  expect((await a.put("/r", { timer: 5, user: "alice" })).status).toBe(202);
  expect((await b.put("/r", { timer: 5, user: "bob" })).status).toBe(202);
  const room = store.readRoom("r");
  expect(room.seq).toBe(2);
  expect(room.history.map((e) => [e.user, e.nextUser])).toEqual([
    ["alice", null],
    ["bob", "alice"],
  ]);
  // The listener on the app that was behind is asked to reconnect, and then has it all.
  await onB.closedByServer();
  await using again = await EventReader.open(`${b.url}/r/events`);
  const replay = await again.replay();
  expect(replay.history).toHaveLength(1);
  expect(replay.timer).toMatchObject({ user: "bob", nextUser: "alice" });
});

test("the app answers requests handed to it in-process, without a server", async () => {
  const app = await createApp({ ...defaultConfig(), port: 0 });
  try {
    const put = await app.fetch(new Request("http://timer.test/team", { method: "PUT", body: '{"timer":10,"user":"alice"}' }));
    expect(put.status).toBe(202);
    const goal = await app.fetch(new Request("http://timer.test/team/goal", { method: "PUT", body: '{"goal":"g"}' }));
    expect(goal.status).toBe(202);
    const read = await app.fetch(new Request("http://timer.test/team/goal"));
    expect(await read.json()).toEqual({ goal: "g" });
    const bad = await app.fetch(new Request("http://timer.test/team", { method: "PUT", body: "{" }));
    expect(bad.status).toBe(400);
    expect((await app.fetch(new Request("http://timer.test/stats"))).status).toBe(200);
  } finally {
    await app.close();
  }
});

test("only rooms somebody needs are held in memory: stored history is read on demand", async () => {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  const at = new Date(clock.now()).toISOString();
  for (let i = 0; i < 50; i++) {
    store.append(`done-${i}`, { kind: "timer", entry: { timer: 0, requested: at, user: "a", nextUser: null, type: "TIMER" } }, 1);
  }
  store.append("running", { kind: "timer", entry: { timer: 10, requested: at, user: "a", nextUser: null, type: "TIMER" } }, 1);
  await using s = await startServer({}, { clock, store });
  // The room whose timer runs is held (the counts need it); the 50 finished ones are not.
  expect(s.app.rooms.cached).toBe(1);
  expect(s.app.rooms.find("running")).toBeDefined();

  await using events = await EventReader.open(`${s.url}/done-7/events`);
  expect((await events.replay()).timer).toMatchObject({ user: "a", timer: 0 });
  expect(s.app.rooms.cached).toBe(2);
  events.close();
  await eventually(() => s.app.rooms.cached === 1);
  // A room read for a question and not needed after is not kept either.
  expect((await fetch(`${s.url}/done-8/goal`)).status).toBe(204);
  expect(s.app.rooms.cached).toBe(1);
});
