// WebSocket rooms with Bun's client: resuming with ?since=, commands with one reply each
// after the change is stored, bad messages, pings, limits, auth, origin, and shutdown. The
// opening events, live events with ids and keep-alives are the transport contract's
// (test/transport-ws.test.ts).
import { expect, test } from "bun:test";
import { connect } from "node:net";
import { MemoryStore } from "../lib/store/memory.ts";
import { EventReader, eventually, LateFeedStore, startServer } from "./helpers.ts";
import { Client, wsUrl, type Message } from "./ws-client.ts";

test("sockets count as listeners, and every socket of a room gets each event once", async () => {
  await using s = await startServer();
  const clients = await Promise.all([1, 2, 3].map(() => Client.open(wsUrl(s, "/many/ws"))));
  await Promise.all(clients.map((c) => c.opening()));
  await using events = await EventReader.open(`${s.url}/many/events`);
  await events.replay();
  expect(s.app.fanout.listeners("many")).toBe(4);
  const published = s.app.sockets.published;
  await s.put("/many", { timer: 1, user: "u1" });
  await s.put("/many", { timer: 1, user: "u2" });
  for (const c of clients) {
    expect((await c.next()).data).toMatchObject({ user: "u1" });
    expect((await c.next()).data).toMatchObject({ user: "u2" });
  }
  // One publish per event for the whole room, not one per socket.
  expect(s.app.sockets.published - published).toBe(2);
  // A later change comes after any second copy of those.
  await s.put("/many", { timer: 1, user: "u3" });
  for (const c of clients) expect((await c.next()).data).toMatchObject({ user: "u3" });
  for (const c of clients) expect(c.received).toHaveLength(6);
  for (const c of clients) c.ws.close();
  await eventually(() => s.app.fanout.listeners("many") === 1);
});

test("a client resuming with ?since= gets only the events it missed, or nothing when up to date", async () => {
  await using s = await startServer();
  await using first = await Client.open(wsUrl(s, "/resume/ws"));
  await first.opening();
  await s.put("/resume", { timer: 1, user: "a" });
  await s.put("/resume", { timer: 1, user: "b" });
  await s.put("/resume/goal", { goal: "g" });
  await using back = await Client.open(wsUrl(s, "/resume/ws?since=1"));
  const missed = [await back.next(), await back.next()];
  expect(missed).toMatchObject([
    { event: "TIMER_REQUEST", id: 2, data: { user: "b" } },
    { event: "GOAL_REQUEST", id: 3, data: { goal: "g" } },
  ]);
  await using current = await Client.open(wsUrl(s, "/resume/ws?since=3"));
  await s.put("/resume", { timer: 1, user: "c" });
  expect(await current.next()).toMatchObject({ event: "TIMER_REQUEST", id: 4 });
});

test("a client whose seq is older than the events kept gets the whole opening state instead", async () => {
  await using s = await startServer();
  await s.put("/old", { timer: 1, user: "a" });
  await s.put("/old", { timer: 1, user: "b" });
  // No socket was open for those changes: they cannot be replayed one by one.
  await using c = await Client.open(wsUrl(s, "/old/ws?since=1"));
  const [history, timer, goal] = await c.opening();
  expect(history).toMatchObject({ event: "INITIAL_HISTORY", data: [{ user: "a" }] });
  expect(timer).toMatchObject({ event: "TIMER_REQUEST", data: { user: "b" } });
  expect(goal).toMatchObject({ event: "GOAL_REQUEST", id: 2 });
});

test("commands get exactly one reply with their ref after the change is stored, and the change reaches every listener", async () => {
  await using s = await startServer();
  await using c = await Client.open(wsUrl(s, "/cmd/ws"));
  await c.opening();
  await using events = await EventReader.open(`${s.url}/cmd/events`);
  await events.replay();
  c.send({ type: "timer", minutes: 10, user: "alice", ref: "a1" });
  const event = await c.next((m) => m.event !== undefined);
  const reply = await c.next((m) => m.ref !== undefined);
  expect(event).toMatchObject({ event: "TIMER_REQUEST", id: 1, data: { user: "alice", timer: 10 } });
  expect(reply).toEqual({ ref: "a1", ok: true, id: 1 });
  expect(JSON.parse((await events.next("TIMER_REQUEST")).data)).toMatchObject({ user: "alice" });
  c.send({ type: "break", minutes: 5, user: "bob", ref: 2 });
  expect(await c.next((m) => m.ref !== undefined)).toEqual({ ref: 2, ok: true, id: 2 });
  c.send({ type: "goal", goal: "ship it", user: "carol", ref: "g" });
  expect(await c.next((m) => m.ref !== undefined)).toEqual({ ref: "g", ok: true, id: 3 });
  c.send({ type: "deleteGoal", user: "dave", ref: "d" });
  expect(await c.next((m) => m.ref !== undefined)).toEqual({ ref: "d", ok: true, id: 4 });
  c.send({ type: "deleteGoal", ref: "again" });
  expect(await c.next((m) => m.ref !== undefined)).toEqual({ ref: "again", ok: true, id: null });
  const stored = await (await fetch(`${s.url}/api/rooms/cmd`)).json();
  expect(stored).toMatchObject({ seq: 4, goal: { goal: null, user: "dave" }, current: { type: "BREAKTIMER", user: "bob" } });
  // A ping's reply comes after any second reply to those commands.
  c.send({ type: "ping", ref: "last" });
  await c.next((m) => m.ref === "last");
  expect(c.received.filter((m) => m.ref !== undefined && m.ref !== "last")).toHaveLength(5);
});

test("bad messages get an error reply and the socket stays open", async () => {
  await using s = await startServer({ maxUserLength: 5 });
  await using c = await Client.open(wsUrl(s, "/bad/ws"));
  await c.opening();
  const bad: unknown[] = [
    "not json",
    "[1,2]",
    { type: "launch", ref: 1 },
    { type: "timer", minutes: "ten", ref: 2 },
    { type: "goal", goal: "   ", ref: 3 },
    { type: "timer", minutes: 1, user: "toolong", ref: 4 },
    { type: "timer", minutes: 1, ref: { nested: true } },
  ];
  for (const message of bad) {
    c.send(message);
    const reply = await c.next();
    expect(reply.error, JSON.stringify(message)).toBeString();
    expect(reply.ok).toBeUndefined();
  }
  c.ws.send(new Uint8Array([1, 2, 3]));
  expect((await c.next()).error).toContain("binary");
  c.send({ type: "ping", ref: "p" });
  expect(await c.next((m) => m.ref === "p")).toEqual({ ref: "p", ok: true, id: null });
  expect(c.closed).toBeNull();
  expect((await (await fetch(`${s.url}/api/rooms/bad`)).json()).seq).toBe(0);
});

test("socket commands spend the address's budget of changes", async () => {
  await using s = await startServer({ writesPerMinute: 2 });
  await using c = await Client.open(wsUrl(s, "/budget/ws"));
  await c.opening();
  for (const ref of [1, 2, 3]) c.send({ type: "timer", minutes: 1, ref });
  const replies = [1, 2, 3].map(() => c.next((m) => m.ref !== undefined));
  const answered = await Promise.all(replies);
  expect(answered.map((m) => m.ok ?? m.error)).toEqual([true, true, expect.stringContaining("too many changes")]);
});

test("sockets count against the limits of event streams and their opens", async () => {
  await using s = await startServer({ maxStreamsPerClient: 2, streamOpensPerMinute: 3 });
  await using a = await Client.open(wsUrl(s, "/lim/ws"));
  await using events = await EventReader.open(`${s.url}/lim/events`);
  const refused = await fetch(`${s.url}/lim/ws`, { headers: { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" } });
  expect(refused.status).toBe(429);
  a.ws.close();
  await eventually(() => s.app.fanout.size === 1);
  const opens = await fetch(`${s.url}/lim/events`);
  expect(opens.status).toBe(429);
  expect((await opens.json()).error).toContain("event streams opened");
  events.close();
});

test("a plain GET of a socket route says to upgrade", async () => {
  await using s = await startServer();
  const res = await fetch(`${s.url}/r/ws`);
  expect(res.status).toBe(426);
  expect(res.headers.get("upgrade")).toBe("websocket");
  expect((await res.json()).error).toContain("WebSocket");
});

test("a page from another site cannot open a socket; the server's own pages and non-browser clients can", async () => {
  await using s = await startServer();
  await expect(Client.open(wsUrl(s, "/o/ws"), { Origin: "https://evil.example" })).rejects.toThrow();
  await using own = await Client.open(wsUrl(s, "/o/ws"), { Origin: s.url });
  await own.opening();
  await using cli = await Client.open(wsUrl(s, "/o/ws"));
  await cli.opening();
});

test("sockets need the server's password and live under its base path", async () => {
  await using s = await startServer({ authUser: "team", authPassword: "secret", basePath: "/timer" });
  await expect(Client.open(wsUrl(s, "/a/ws"))).rejects.toThrow();
  await using c = await Client.open(wsUrl(s, "/a/ws"), { Authorization: `Basic ${btoa("team:secret")}` });
  expect((await c.opening())[0]).toMatchObject({ event: "INITIAL_HISTORY" });
});

test("shutting down closes every socket with 1012, asking the client to come back", async () => {
  const s = await startServer();
  const c = await Client.open(wsUrl(s, "/down/ws"));
  await c.opening();
  await s.close();
  await eventually(() => c.closed !== null);
  expect(c.closed!.code).toBe(1012);
});

/** A raw WebSocket client that completes the handshake and then neither reads nor answers pings. */
function silentSocket(url: string): Promise<{ destroy(): void }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on("error", () => {});
    socket.on("connect", () => {
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      socket.once("data", () => {
        socket.pause();
        resolve({ destroy: () => socket.destroy() });
      });
    });
  });
}

test("a client that answers nothing is dropped after the idle time; one that answers pings stays", async () => {
  await using s = await startServer({ wsIdleSeconds: 2, keepAliveMs: 1000 });
  const silent = await silentSocket(`${s.url}/idle/ws`);
  using _ = { [Symbol.dispose]: () => silent.destroy() };
  await using answering = await Client.open(wsUrl(s, "/idle/ws"));
  await eventually(() => s.app.fanout.listeners("idle") === 2);
  await eventually(() => s.app.fanout.size === 1, 6000);
  // Two more keep-alive rounds, each of which would drop a client silent for the idle time.
  const keepAlive = (m: Message) => m.event === "KEEP_ALIVE";
  const roundsSeen = answering.received.filter(keepAlive).length;
  await eventually(() => answering.received.filter(keepAlive).length >= roundsSeen + 2, 4000);
  expect(answering.closed).toBeNull();
  expect(s.app.fanout.size).toBe(1);
}, 15_000);

test("a client that does not read is dropped once its backlog passes the limit, without harm to others", async () => {
  await using s = await startServer({ maxGoalLength: 4096, writesPerMinute: 100_000 });
  const stalled = await silentSocket(`${s.url}/flood/ws`);
  await using reader = await Client.open(wsUrl(s, "/flood/ws"));
  await reader.opening();
  await eventually(() => s.app.fanout.listeners("flood") === 2);
  const goal = JSON.stringify({ goal: "g".repeat(4000) });
  for (let i = 0; i < 3000 && s.app.fanout.listeners("flood") === 2; i++) await s.put("/flood/goal", goal);
  expect(s.app.fanout.listeners("flood")).toBe(1);
  stalled.destroy();
  await s.put("/flood", { timer: 1, user: "still" });
  expect(await reader.next((m) => (m.data as { user?: string } | undefined)?.user === "still", 5000)).toMatchObject({ event: "TIMER_REQUEST" });
}, 30_000);

test("a command the store fails with an unexpected error gets an error reply; the socket and the others go on", async () => {
  class BrokenStore extends MemoryStore {
    override append(...args: Parameters<MemoryStore["append"]>): ReturnType<MemoryStore["append"]> {
      if (args[0] === "broken") throw new TypeError("disk on fire");
      return super.append(...args);
    }
  }
  await using s = await startServer({}, { store: new BrokenStore() });
  await using c = await Client.open(wsUrl(s, "/broken/ws"));
  await using other = await Client.open(wsUrl(s, "/fine/ws"));
  await c.opening();
  await other.opening();
  c.send({ type: "timer", minutes: 1, ref: "x" });
  expect((await c.next((m) => m.ref === "x")).error).toBeString();
  c.send({ type: "ping", ref: "p" });
  expect(await c.next((m) => m.ref === "p")).toMatchObject({ ok: true });
  other.send({ type: "timer", minutes: 1, ref: "y" });
  expect(await other.next((m) => m.ref === "y")).toMatchObject({ ok: true, id: 1 });
});

test("an open socket keeps its slot under the per-address limit until it closes", async () => {
  await using s = await startServer({ maxStreamsPerClient: 1 });
  await using first = await Client.open(wsUrl(s, "/slot/ws"));
  await first.opening();
  await eventually(() => s.app.fanout.size === 1);
  await expect(Client.open(wsUrl(s, "/slot/ws"))).rejects.toThrow();
  expect((await fetch(`${s.url}/slot/events`)).status).toBe(429);
  first.ws.close();
  await eventually(() => s.app.fanout.size === 0);
  await using second = await Client.open(wsUrl(s, "/slot/ws"));
  await second.opening();
});

test("a command on one instance reaches sockets and long-polls on another instance of the same store", async () => {
  const store = new MemoryStore();
  await using a = await startServer({}, { store });
  await using b = await startServer({}, { store });
  await using onA = await Client.open(wsUrl(a, "/shared/ws"));
  await using onB = await Client.open(wsUrl(b, "/shared/ws"));
  await onA.opening();
  await onB.opening();
  const polling = fetch(`${b.url}/api/rooms/shared?since=0&wait=30`);
  await eventually(() => b.app.fanout.listeners("shared") === 2);
  onA.send({ type: "timer", minutes: 5, user: "alice", ref: 1 });
  expect(await onA.next((m) => m.ref === 1)).toMatchObject({ ok: true, id: 1 });
  expect(await onB.next()).toMatchObject({ event: "TIMER_REQUEST", id: 1, data: { user: "alice" } });
  const answer = await polling;
  expect(answer.status).toBe(200);
  expect((await answer.json()).current.user).toBe("alice");
});

test("a socket whose room was read anew after missed changes gets the opening events again, then goes on", async () => {
  // The second app's copy of the room is behind when it decides: it reads the room anew.
  const store = new LateFeedStore();
  await using a = await startServer({}, { store });
  await using b = await startServer({}, { store });
  await using onB = await Client.open(wsUrl(b, "/r/ws"));
  await onB.opening();
  expect((await a.put("/r", { timer: 5, user: "alice" })).status).toBe(202);
  expect((await b.put("/r", { timer: 5, user: "bob" })).status).toBe(202);
  // Read anew with alice's timer: the room as it then was, whole.
  expect(await onB.next()).toEqual({ event: "INITIAL_HISTORY", data: [] });
  expect(await onB.next()).toMatchObject({ event: "TIMER_REQUEST", data: { user: "alice" } });
  expect(await onB.next()).toMatchObject({ event: "GOAL_REQUEST", id: 1 });
  expect(await onB.next()).toMatchObject({ event: "TIMER_REQUEST", id: 2, data: { user: "bob", nextUser: "alice" } });
  expect(onB.closed).toBeNull();
});

test("pings and bad messages spend the address's budget of reads", async () => {
  await using s = await startServer({ readsPerMinute: 2 });
  await using c = await Client.open(wsUrl(s, "/reads/ws"));
  await c.opening();
  c.send({ type: "ping", ref: 1 });
  c.send("garbage");
  c.send({ type: "ping", ref: 3 });
  const replies = [await c.next(), await c.next(), await c.next()];
  expect(replies[0]).toMatchObject({ ref: 1, ok: true });
  expect(replies[1]!.error).toContain("JSON");
  expect(replies[2]).toMatchObject({ ref: 3, error: expect.stringContaining("too many reads") });
  expect(c.closed).toBeNull();
});
