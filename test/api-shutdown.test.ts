// SIGTERM with long-polls and WebSockets open: the real server process answers every
// waiter, closes every socket asking it to come back, and exits 0 within 2 seconds.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { eventually, spawnServer } from "./helpers.ts";

const SERVER = [process.execPath, join(import.meta.dir, "..", "server.ts")];

test("SIGTERM answers waiting long-polls with 503, closes sockets with 1012, and exits 0 within 2 seconds", async () => {
  await using server = await spawnServer(SERVER, { env: { IN_MEMORY: "true" } });
  const polls = [1, 2].map((i) => fetch(`${server.url}/api/rooms/room-${i}?since=0&wait=50`));
  const socket = new WebSocket(`${server.url.replace("http", "ws")}/room-1/ws`);
  const closed = new Promise<number>((resolve) => (socket.onclose = (e) => resolve(e.code)));
  await new Promise((resolve) => (socket.onmessage = resolve));
  // The waiters have joined once the health check counts them with the socket.
  await eventually(async () => ((await (await fetch(`${server.url}/api/health`)).json()) as { listeners: number }).listeners === 3, 5000);
  const signalled = Date.now();
  server.child.kill("SIGTERM");
  const answers = await Promise.all(polls);
  expect(answers.map((r) => r.status)).toEqual([503, 503]);
  expect(answers[0]!.headers.get("retry-after")).toBe("1");
  expect(await closed).toBe(1012);
  expect(await server.child.exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(2000);
});
