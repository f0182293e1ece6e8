// The JSON API as integrations use it: the room as data with ETag and 304, long-poll waits
// that answer on the next change or run out, changes that answer with the new state, and
// CORS for reads only. Reads and writes are answered in-process; a long-poll that is held
// runs over a socket, where waiting, giving up and shutting down are the point.
import { expect, test } from "bun:test";
import { eventually, inProcess, ManualClock, startServer } from "./helpers.ts";

const json = (body: unknown) => JSON.stringify(body);
// Each test has an app or a server of its own: they run at once, so the waits of long-polls
// held for real overlap.

test.concurrent("a room reads as data: its current timer with endsAt and running, history, goal and seq, tagged by seq", async () => {
  const clock = new ManualClock();
  await using s = await inProcess({}, { clock });
  await s.put("/team", { timer: 10, user: "alice" });
  clock.advance(1000);
  await s.put("/team", { breaktimer: 5, user: "bob" });
  await s.put("/team/goal", { goal: "ship it", user: "carol" });
  const res = await s.fetch("/api/rooms/team");
  expect(res.status).toBe(200);
  expect(res.headers.get("etag")).toBe('"3"');
  expect(res.headers.get("content-type")).toContain("application/json");
  const room = await res.json();
  expect(room).toMatchObject({ room: "team", seq: 3, goal: { goal: "ship it", user: "carol" } });
  expect(room.history.map((e: { user: string }) => e.user)).toEqual(["alice", "bob"]);
  expect(room.current).toMatchObject({ type: "BREAKTIMER", user: "bob", timer: 5, endsAt: "2026-11-21T09:05:01.000Z", running: true });
  clock.advance(6 * 60_000);
  expect((await (await s.fetch("/api/rooms/team")).json()).current.running).toBe(false);
});

test.concurrent("a room nobody used reads as empty, and creates nothing", async () => {
  await using s = await inProcess();
  const room = await (await s.fetch("/api/rooms/nobody")).json();
  expect(room).toEqual({ room: "nobody", seq: 0, current: null, history: [], goal: { goal: null, user: null, requested: null } });
  expect(await s.app.rooms.count()).toBe(0);
});

test.concurrent("If-None-Match with the current tag answers 304 until the room changes", async () => {
  await using s = await inProcess();
  await s.put("/t", { timer: 1 });
  const tag = (await s.fetch("/api/rooms/t")).headers.get("etag")!;
  const same = await s.fetch("/api/rooms/t", { headers: { "If-None-Match": tag } });
  expect(same.status).toBe(304);
  expect(await same.text()).toBe("");
  await s.put("/t", { timer: 2 });
  const changed = await s.fetch("/api/rooms/t", { headers: { "If-None-Match": tag } });
  expect(changed.status).toBe(200);
  expect(changed.headers.get("etag")).toBe('"2"');
});

test.concurrent("bad room names and bad query numbers get 400 with a reason", async () => {
  await using s = await inProcess();
  for (const path of ["/api/rooms/a.b", "/api/rooms/t?since=x&wait=1", "/api/rooms/t?since=1&wait=-1"]) {
    const res = await s.fetch(path);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBeString();
  }
});

test.concurrent("a long-poll behind the room answers at once with the state", async () => {
  await using s = await inProcess();
  await s.put("/lp", { timer: 1 });
  await s.put("/lp", { timer: 2 });
  const started = performance.now();
  const res = await s.fetch("/api/rooms/lp?since=1&wait=30");
  expect(res.status).toBe(200);
  expect((await res.json()).seq).toBe(2);
  expect(performance.now() - started).toBeLessThan(1000);
});

test.concurrent("a long-poll at the room's seq is held until the next change, then answers with it; waiters count as listeners", async () => {
  await using s = await startServer();
  await s.put("/lp", { timer: 1, user: "alice" });
  const waiting = fetch(`${s.url}/api/rooms/lp?since=1&wait=30`);
  await eventually(() => s.app.fanout.listeners("lp") === 1);
  expect(s.app.fanout.size).toBe(1);
  await s.put("/lp", { timer: 3, user: "bob" });
  const res = await waiting;
  expect(res.status).toBe(200);
  expect(res.headers.get("etag")).toBe('"2"');
  expect((await res.json()).current.user).toBe("bob");
  await eventually(() => s.app.fanout.size === 0);
});

test.concurrent("a long-poll whose wait runs out answers 304, from the one shared wheel, and holds nothing after", async () => {
  await using s = await startServer();
  const started = performance.now();
  const res = await fetch(`${s.url}/api/rooms/quiet?since=0&wait=1`);
  expect(res.status).toBe(304);
  expect(res.headers.get("etag")).toBe('"0"');
  expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  expect(s.app.fanout.size).toBe(0);
  expect(s.app.waits.size).toBe(0);
  expect(s.app.rooms.cached).toBe(0);
});

test.concurrent("long-poll waits beyond the limits of event streams are refused with 429", async () => {
  await using s = await startServer({ maxStreamsPerClient: 2 });
  const controller = new AbortController();
  const held = [1, 2].map(() => fetch(`${s.url}/api/rooms/full?since=0&wait=30`, { signal: controller.signal }).catch(() => null));
  await eventually(() => s.app.fanout.size === 2);
  const third = await fetch(`${s.url}/api/rooms/full?since=0&wait=30`);
  expect(third.status).toBe(429);
  const stream = await fetch(`${s.url}/full/events`);
  expect(stream.status).toBe(429);
  controller.abort();
  await Promise.all(held);
  await eventually(() => s.app.fanout.size === 0);
});

test.concurrent("long-poll waits spend the budget of stream opens, plain reads the budget of reads", async () => {
  await using s = await inProcess({ streamOpensPerMinute: 2, readsPerMinute: 100 });
  for (let i = 0; i < 2; i++) expect((await s.fetch("/api/rooms/b?since=5&wait=1")).status).toBe(200);
  expect((await s.fetch("/api/rooms/b?since=5&wait=1")).status).toBe(429);
  expect((await s.fetch("/api/rooms/b")).status).toBe(200);
});

test.concurrent("a client that gives up its long-poll frees its slot at once", async () => {
  await using s = await startServer();
  const controller = new AbortController();
  const waiting = fetch(`${s.url}/api/rooms/gone?since=0&wait=30`, { signal: controller.signal }).catch(() => null);
  await eventually(() => s.app.fanout.size === 1);
  controller.abort();
  await waiting;
  await eventually(() => s.app.fanout.size === 0 && s.app.waits.size === 0);
});

test.concurrent("shutting down answers every waiting long-poll at once with 503 and Retry-After", async () => {
  const s = await startServer();
  const waiting = fetch(`${s.url}/api/rooms/bye?since=0&wait=30`);
  await eventually(() => s.app.fanout.size === 1);
  // As server.ts shuts down: the app ends what it holds, then the server stops.
  await s.app.close();
  const res = await waiting;
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("1");
  await s.server.stop(true);
});

test.concurrent("a long-poll held past Bun's idle cut still gets its answer", async () => {
  // Bun cuts a connection idle for 10 s by default (server.ts keeps it); here for 1 s, which
  // Bun applies on its next 4-second round: a wait of 5 s outlasts the cut either way.
  await using s = await startServer({}, {}, { idleTimeout: 1 });
  const res = await fetch(`${s.url}/api/rooms/long?since=0&wait=5`);
  expect(res.status).toBe(304);
}, 10_000);

test.concurrent("JSON writes answer with the new state: 201 for a timer or break, 200 for the goal", async () => {
  await using s = await inProcess();
  const timer = await s.fetch("/api/rooms/w/timer", { method: "POST", body: json({ minutes: 10, user: "alice" }) });
  expect(timer.status).toBe(201);
  expect(await timer.json()).toMatchObject({ seq: 1, current: { type: "TIMER", timer: 10, user: "alice", running: true } });
  const pause = await s.fetch("/api/rooms/w/break", { method: "POST", body: json({ minutes: 5000, user: "bob" }) });
  expect(pause.status).toBe(201);
  expect((await pause.json()).current).toMatchObject({ type: "BREAKTIMER", timer: 1440, nextUser: null });
  const goal = await s.fetch("/api/rooms/w/goal", { method: "PUT", body: json({ goal: "ship it", user: "carol" }) });
  expect(goal.status).toBe(200);
  expect((await goal.json()).goal).toMatchObject({ goal: "ship it", user: "carol" });
  const deleted = await s.fetch("/api/rooms/w/goal", { method: "DELETE", body: json({ user: "dave" }) });
  expect(deleted.status).toBe(200);
  expect(await deleted.json()).toMatchObject({ seq: 4, goal: { goal: null, user: "dave" } });
  // The original's routes see the same room.
  expect(await (await s.fetch("/w/goal")).status).toBe(204);
});

test.concurrent("a goal set only through the API reads back although no timer keeps the room in memory", async () => {
  await using s = await inProcess();
  const goal = await s.fetch("/api/rooms/g/goal", { method: "PUT", body: json({ goal: "one" }) });
  expect((await goal.json()).goal.goal).toBe("one");
});

test.concurrent("JSON writes get the same validation and limits as the original routes, and change nothing when refused", async () => {
  await using s = await inProcess({ maxUserLength: 5, maxBodyBytes: 256, writesPerMinute: 8 });
  const cases: [string, string, string, number][] = [
    ["POST", "/timer", "{", 400],
    ["POST", "/timer", json({ minutes: "10" }), 400],
    ["POST", "/timer", json({ minutes: 1.5 }), 400],
    ["POST", "/break", json({ minutes: 5, user: "toolongname" }), 400],
    ["PUT", "/goal", json({ goal: "  " }), 400],
    ["PUT", "/goal", json({ goal: "x".repeat(300) }), 413],
    ["DELETE", "/goal", "[]", 400],
  ];
  for (const [method, path, body, status] of cases) {
    const res = await s.fetch(`/api/rooms/v${path}`, { method, body });
    expect(res.status, `${method} ${path} ${body.slice(0, 20)}`).toBe(status);
    expect((await res.json()).error).toBeString();
  }
  expect((await (await s.fetch("/api/rooms/v")).json()).seq).toBe(0);
  expect((await s.fetch("/api/rooms/v/timer", { method: "POST", body: json({ minutes: 1 }) })).status).toBe(201);
  expect((await s.fetch("/api/rooms/v/timer", { method: "POST", body: json({ minutes: 1 }) })).status).toBe(429);
});

test.concurrent("JSON writes need the server's password like every route", async () => {
  await using s = await inProcess({ authUser: "team", authPassword: "secret" });
  const denied = await s.fetch("/api/rooms/a/timer", { method: "POST", body: json({ minutes: 1 }) });
  expect(denied.status).toBe(401);
  const auth = { Authorization: `Basic ${btoa("team:secret")}` };
  expect((await s.fetch("/api/rooms/a/timer", { method: "POST", headers: auth, body: json({ minutes: 1 }) })).status).toBe(201);
});

test.concurrent("any site may read the JSON API without credentials, but no other site may write", async () => {
  await using s = await inProcess();
  const origin = { Origin: "https://elsewhere.example" };
  const read = await s.fetch("/api/rooms/c", { headers: origin });
  expect(read.headers.get("access-control-allow-origin")).toBe("*");
  expect(read.headers.get("access-control-allow-credentials")).toBeNull();
  expect(read.headers.get("access-control-expose-headers")).toContain("ETag");
  expect((await s.fetch("/api/openapi.json")).headers.get("access-control-allow-origin")).toBe("*");
  // A simple POST needs no preflight: the server itself refuses it.
  const write = await s.fetch("/api/rooms/c/timer", { method: "POST", headers: { ...origin, "Content-Type": "text/plain" }, body: json({ minutes: 1 }) });
  expect(write.status).toBe(403);
  expect(write.headers.get("access-control-allow-origin")).toBeNull();
  expect((await s.fetch("/api/rooms/c")).status).toBe(200);
  expect((await (await s.fetch("/api/rooms/c")).json()).seq).toBe(0);
  const own = await s.fetch("/api/rooms/c/timer", { method: "POST", headers: { Origin: s.url }, body: json({ minutes: 1 }) });
  expect(own.status).toBe(201);
});
