// What an operator sees: health, the start-up line, logs, and a clean shutdown.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStore } from "../lib/store/memory.ts";
import { VERSION } from "../lib/base/version.ts";
import { EventReader, spawnServer, startServer } from "./helpers.ts";

const SERVER = [process.execPath, join(import.meta.dir, "..", "server.ts")];

test("health answers ok with version, uptime, rooms, listeners and storage, at both addresses", async () => {
  await using s = await startServer();
  await s.put("/r", { timer: 5 });
  await using events = await EventReader.open(`${s.url}/r/events`);
  await events.replay();
  for (const path of ["/api/health", "/actuator/health"]) {
    const response = await fetch(`${s.url}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      version: VERSION,
      rooms: 1,
      listeners: 1,
      storage: { kind: "memory", status: "ok" },
    });
  }
});

test("health answers 503 while storage fails, and ok again when it recovers", async () => {
  let failing = true;
  class FlakyStore extends MemoryStore {
    override async check(): Promise<void> {
      if (failing) throw new Error("disk gone");
    }
  }
  await using s = await startServer({}, { store: new FlakyStore() });
  const down = await fetch(`${s.url}/api/health`);
  expect(down.status).toBe(503);
  expect(await down.json()).toMatchObject({ status: "unavailable", storage: { status: "failing" } });
  failing = false;
  expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
});

test("the start line names version, address and changed settings, never a password; json logs parse", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mob-timer-log-"));
  try {
    await using server = await spawnServer(SERVER, {
      env: { LOG_FORMAT: "json", AUTH_USER: "mob", AUTH_PASSWORD: "hunter2", MAX_ROOMS: "50", DATA_DIR: dataDir },
    });
    const start = JSON.parse(await server.waitForLine("mob-timer started"));
    expect(start).toMatchObject({ level: "info", version: VERSION, MAX_ROOMS: "50", AUTH_USER: "mob", AUTH_PASSWORD: "(set)" });
    expect(server.lines.join("\n")).not.toContain("hunter2");

    const auth = { Authorization: `Basic ${btoa("mob:hunter2")}` };
    await fetch(`${server.url}/team`, { method: "PUT", headers: auth, body: '{"timer":5,"user":"alice"}' });
    await fetch(`${server.url}/team/goal`, { method: "PUT", headers: auth, body: '{"goal":"g"}' });
    await fetch(`${server.url}/team`, { method: "PUT", headers: auth, body: "{" });
    expect(JSON.parse(await server.waitForLine('"msg":"timer started"'))).toMatchObject({ room: "team", minutes: 5, user: "alice" });
    expect(JSON.parse(await server.waitForLine('"msg":"goal set"'))).toMatchObject({ room: "team" });
    expect(JSON.parse(await server.waitForLine('"msg":"request rejected"'))).toMatchObject({ status: 400, level: "warn" });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("SIGTERM ends open streams, telling clients to come back, and exits 0 within 2 seconds", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mob-timer-stop-"));
  try {
    await using server = await spawnServer(SERVER, { env: { DATA_DIR: dataDir } });
    const streams = await Promise.all([1, 2, 3].map((i) => EventReader.open(`${server.url}/room-${i}/events`)));
    await Promise.all(streams.map((s) => s.replay()));
    const index = await EventReader.open(`${server.url}/events`);
    await index.next();

    const signalled = Date.now();
    server.child.kill("SIGTERM");
    await Promise.all([...streams, index].map((s) => s.closedByServer(2000)));
    expect(await server.child.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(2000);
    expect(server.lines.some((l) => l.includes("stopped"))).toBe(true);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
