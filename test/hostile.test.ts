// What one client can do to the server, and why it cannot take it down: HEAD on streams,
// streams that never read, requests abandoned mid-body, rooms made by the thousand,
// histories grown without end.
import { expect, test } from "bun:test";
import { connect } from "node:net";
import { createLogger } from "../lib/base/log.ts";
import { EventReader, eventually, startServer } from "./helpers.ts";

test("HEAD on an event stream answers its headers and holds no stream slot", async () => {
  await using s = await startServer({ maxStreamsPerClient: 3 });
  for (const path of ["/r/events", "/events"]) {
    for (let i = 0; i < 10; i++) {
      const head = await fetch(`${s.url}${path}`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toBe("text/event-stream");
    }
  }
  await using events = await EventReader.open(`${s.url}/r/events`);
  expect(events.response.status).toBe(200);
  await events.replay();
});

/** A client that opens a room's stream and then stops reading it, as a frozen process does. */
function stalledListener(url: string): { close(): void } {
  const { hostname, port, pathname } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.on("connect", () => socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`));
  socket.on("data", () => socket.pause());
  socket.on("error", () => {});
  return { close: () => socket.destroy() };
}

test("a stream whose client stops reading is closed once its unsent events pass the cap", async () => {
  await using s = await startServer({ maxGoalLength: 4096, writesPerMinute: 100_000 });
  const stalled = stalledListener(`${s.url}/flood/events`);
  try {
    await eventually(() => s.app.fanout.listeners("flood") === 1);
    const goal = JSON.stringify({ goal: "g".repeat(4000), user: "u".repeat(250) });
    // Some 4 MB fill the kernel's socket buffers first; the cap is counted after them.
    for (let i = 0; i < 3000 && s.app.fanout.listeners("flood") > 0; i++) {
      await s.app.fetch(new Request(`${s.url}/flood/goal`, { method: "PUT", body: goal }));
      if (i % 50 === 0) await Bun.sleep(1);
    }
    await eventually(() => s.app.fanout.listeners("flood") === 0);
    const metrics = await (await fetch(`${s.url}/api/metrics`)).text();
    expect(metrics).toContain("mobtimer_streams_closed_unread_total 1");
  } finally {
    stalled.close();
  }
});

test("a client that hangs up in the middle of its body is no server error", async () => {
  const lines: string[] = [];
  const logger = createLogger("json", { write: (line) => lines.push(line), flush() {} });
  await using s = await startServer({}, { logger });
  const { port } = new URL(s.url);
  const socket = connect({ host: "127.0.0.1", port: Number(port) });
  socket.on("error", () => {});
  await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
  socket.write('PUT /r HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"timer":');
  await Bun.sleep(50);
  socket.destroy();
  await eventually(() => lines.some((line) => line.includes("abandoned")));
  const logged = lines.map((line) => JSON.parse(line));
  expect(logged.find((l) => l.msg === "request abandoned by the client")).toMatchObject({ level: "info", url: "/r" });
  expect(logged.filter((l) => l.level === "error")).toEqual([]);
  const metrics = await (await fetch(`${s.url}/api/metrics`)).text();
  expect(metrics).not.toContain('status="500"');
});

test("one address creates a limited number of new rooms an hour; others are not affected", async () => {
  await using s = await startServer({ newRoomsPerHour: 2, trustProxy: true });
  const from = (address: string) => ({ "X-Forwarded-For": address });
  const put = (room: string, address: string) =>
    fetch(`${s.url}/${room}`, { method: "PUT", headers: from(address), body: '{"timer":5}' });
  expect((await put("a1", "10.0.0.1")).status).toBe(202);
  expect((await put("a2", "10.0.0.1")).status).toBe(202);
  const refused = await put("a3", "10.0.0.1");
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await refused.json()).toEqual({ error: "too many new rooms from your address; at most 2 an hour" });
  // Existing rooms go on, and another address creates its own.
  expect((await put("a1", "10.0.0.1")).status).toBe(202);
  expect((await put("b1", "10.0.0.2")).status).toBe(202);
  expect(await s.app.rooms.has("a3")).toBe(false);
});

test("a room's history keeps its newest entries up to the cap, and that is all a listener is sent", async () => {
  await using s = await startServer({ maxHistory: 3 });
  for (const user of ["u1", "u2", "u3", "u4", "u5"]) await s.put("/long", { timer: 5, user });
  await using events = await EventReader.open(`${s.url}/long/events`);
  const replay = await events.replay();
  expect(replay.history.map((e) => (e as { user: string }).user)).toEqual(["u3", "u4"]);
  expect(replay.timer).toMatchObject({ user: "u5" });
});
