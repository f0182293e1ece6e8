// Ownership is kept with the room in the store: it survives a restart, every instance on a
// shared Redis enforces it, and the operator's `mob-timer rooms release NAME` takes it away
// (online through Redis; with SQLite, once its server has stopped).
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { CHEAP_KEY_HASHING, eventually, spawnServer, startServer, tempDirs } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

const SERVER = join(import.meta.dir, "..", "server.ts");

async function mobTimer(url: string, room: string, key: string | null): Promise<number> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (key !== null) headers.Authorization = `Basic ${Buffer.from(`team-a:${key}`).toString("base64")}`;
  const res = await fetch(`${url}/${room}`, { method: "PUT", headers, body: '{"timer":10,"user":"alice"}' });
  return res.status;
}

async function claim(url: string, room: string, body = ""): Promise<string> {
  const res = await fetch(`${url}/api/rooms/${room}/owner`, { method: "POST", body });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

/** `mob-timer rooms release <room>` from the sources. */
async function releaseCommand(room: string, env: Record<string, string>) {
  const child = Bun.spawn([process.execPath, SERVER, "rooms", "release", room], { env: { PATH: process.env.PATH ?? "", ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, out: stdout + stderr };
}

describe("SQLite", () => {
  const tempDir = tempDirs("owners");

  test("a claim survives a restart; the operator releases the room once its server has stopped, and is told why not before", async () => {
    const env = { DATA_DIR: tempDir() };
    let key: string;
    {
      await using running = await spawnServer([process.execPath, SERVER], { env });
      key = await claim(running.url, "kept", '{"private":true}');
      const refused = await releaseCommand("kept", env);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain("rooms release failed");
      expect(refused.out).toContain("another mob-timer server is using this data directory");
      expect(refused.out).not.toContain(key);
    }
    {
      await using restarted = await spawnServer([process.execPath, SERVER], { env });
      expect(await mobTimer(restarted.url, "kept", null)).toBe(401);
      expect((await fetch(`${restarted.url}/api/rooms/kept`)).status).toBe(401);
      expect(await mobTimer(restarted.url, "kept", key)).toBe(202);
    }
    const released = await releaseCommand("kept", env);
    expect(released).toEqual({ code: 0, out: "mob-timer: released room kept: it is everyone's again\n" });
    expect((await releaseCommand("kept", env)).out).toBe("mob-timer: room kept is not claimed; nothing to release\n");
    expect((await releaseCommand("no/such", env)).code).toBe(1);
    const usage = Bun.spawnSync([process.execPath, SERVER, "rooms", "free"], { env: { PATH: process.env.PATH ?? "", ...env } });
    expect([usage.exitCode, usage.stderr.toString()]).toEqual([2, "mob-timer: usage: mob-timer rooms release NAME [options]\n"]);
    await using after = await spawnServer([process.execPath, SERVER], { env });
    expect(await mobTimer(after.url, "kept", null)).toBe(202);
    expect((await fetch(`${after.url}/api/rooms/kept`)).status).toBe(200);
  }, 30_000);
});

describe.skipIf(!redisInstalled)("Redis", () => {
  const shared = sharedRedis();
  const instance = async () => startServer({ redisUrl: shared().url }, { store: await RedisStore.open(shared().url, systemClock, silentLogger) });

  test("a room claimed on one instance needs its key on every other; made private there, it is private everywhere", async () => {
    await using a = await instance();
    await using b = await instance();
    const key = await claim(a.url, "spread");
    expect(await mobTimer(b.url, "spread", null)).toBe(401);
    expect(await mobTimer(b.url, "spread", key)).toBe(202);
    expect((await fetch(`${b.url}/api/rooms/spread`)).status).toBe(200);
    await fetch(`${a.url}/api/rooms/spread/owner`, { method: "PUT", headers: { "X-Room-Key": key }, body: '{"private":true}' });
    await eventually(async () => (await fetch(`${b.url}/api/rooms/spread`)).status === 401);
    // Claimed at once on both: one claim wins for the whole service.
    const both = await Promise.all([a, b].map((s) => fetch(`${s.url}/api/rooms/contest/owner`, { method: "POST" })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  test("a new room claimed at once on two instances has one owner, however fast the key is hashed", async () => {
    // A fast hash lets the other instance's claim arrive while this one admits the new room:
    // it must then lose the room's first number, not take the next one over the first claim.
    const fast = async () =>
      startServer({ redisUrl: shared().url, newRoomsPerHour: 1000 }, { hashing: CHEAP_KEY_HASHING, store: await RedisStore.open(shared().url, systemClock, silentLogger) });
    await using a = await fast();
    await using b = await fast();
    for (let i = 0; i < 10; i++) {
      const both = await Promise.all([a, b].map((s) => fetch(`${s.url}/api/rooms/race-${i}/owner`, { method: "POST" })));
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    }
  });

  test("the operator releases a room while the instances run; they let anyone change it at once", async () => {
    await using a = await instance();
    const key = await claim(a.url, "squatted");
    expect(await mobTimer(a.url, "squatted", null)).toBe(401);
    const released = await releaseCommand("squatted", { REDIS_URL: shared().url });
    expect(released).toEqual({ code: 0, out: "mob-timer: released room squatted: it is everyone's again\n" });
    await eventually(async () => (await mobTimer(a.url, "squatted", null)) === 202);
    expect(await mobTimer(a.url, "squatted", key)).toBe(202);
  });
});
