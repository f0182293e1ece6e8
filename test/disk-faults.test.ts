// A failing disk under the real server, as an operator would meet it: full, its database
// deleted, frozen. Nothing acknowledged may be lost, and what does not need the disk goes on.
// Mounting needs root; elsewhere these tests skip with the reason.
import { expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { mountedDisk } from "./disks.ts";
import { EventReader, spawnServer, tempDirs } from "./helpers.ts";

const SERVER = [process.execPath, join(import.meta.dir, "..", "server.ts")];
const tempDir = tempDirs("disk");

const put = (url: string, body: unknown) => fetch(url, { method: "PUT", body: JSON.stringify(body) });
const status = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;

test("a full disk: changes get 503 and health says so, pages go on, and all recovers once there is room", async () => {
  await using disk = mountedDisk("tmpfs", "size=2m");
  if (!disk.path) return console.warn(`skipped: ${disk.reason}`);
  await using server = await spawnServer(SERVER, { env: { DATA_DIR: disk.path } });
  expect((await put(`${server.url}/r`, { timer: 5, user: "alice" })).status).toBe(202);
  disk.fill();
  const refused = await put(`${server.url}/r`, { timer: 5, user: "bob" });
  expect(refused.status).toBe(503);
  expect(await refused.json()).toEqual({ error: "The change could not be stored and was not made; try again." });
  expect(await status(`${server.url}/api/health`)).toBe(503);
  expect(await status(`${server.url}/help`)).toBe(200);
  disk.free();
  expect(await status(`${server.url}/api/health`)).toBe(200);
  expect((await put(`${server.url}/r`, { timer: 5, user: "carol" })).status).toBe(202);
  const replay = await (await EventReader.open(`${server.url}/r/events`)).replay();
  expect([...replay.history, replay.timer].map((e) => (e as { user: string }).user)).toEqual(["alice", "carol"]);
});

test("a database deleted while the server runs: no change is acknowledged any more, and health says so", async () => {
  const dir = tempDir();
  await using server = await spawnServer(SERVER, { env: { DATA_DIR: dir } });
  expect((await put(`${server.url}/r`, { timer: 5, user: "alice" })).status).toBe(202);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(join(dir, `mob-timer.db${suffix}`), { force: true });
  expect((await put(`${server.url}/r`, { timer: 5, user: "bob" })).status).toBe(503);
  expect((await put(`${server.url}/other/goal`, { goal: "g" })).status).toBe(503);
  expect(await status(`${server.url}/api/health`)).toBe(503);
  await server.waitForLine("restore");
});

test("a frozen disk: pages, rooms in memory, keep-alives and health answer while a commit waits", async () => {
  await using disk = mountedDisk("ext4", "");
  if (!disk.path) return console.warn(`skipped: ${disk.reason}`);
  await using server = await spawnServer(SERVER, { env: { DATA_DIR: disk.path, KEEP_ALIVE_SECONDS: "1" } });
  expect((await put(`${server.url}/r`, { timer: 30, user: "alice" })).status).toBe(202);
  await using events = await EventReader.open(`${server.url}/r/events`);
  await events.replay();
  if (!disk.freeze()) return console.warn("skipped: fsfreeze is not allowed here");
  try {
    const waiting = put(`${server.url}/r`, { timer: 5, user: "bob" });
    const started = performance.now();
    expect(await status(`${server.url}/help`)).toBe(200);
    expect(await status(`${server.url}/r/goal`)).toBe(204);
    expect(performance.now() - started).toBeLessThan(1000);
    await events.next("KEEP_ALIVE", 3000);
    expect(await status(`${server.url}/api/health`)).toBe(503);
    disk.thaw();
    // The change that waited for the disk is made, and announced, once it answers.
    expect((await waiting).status).toBe(202);
    expect(JSON.parse((await events.next("TIMER_REQUEST", 5000)).data)).toMatchObject({ user: "bob" });
    expect(await status(`${server.url}/api/health`)).toBe(200);
  } finally {
    disk.thaw();
  }
}, 30_000);
