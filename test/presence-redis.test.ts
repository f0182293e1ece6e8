// Who is here with two instances on one real Redis: each reports its own listeners' names,
// every listener on either hears the whole service's, and an instance that dies without a
// word takes its people with it once its heartbeat runs out.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { REPORT_INTERVALS } from "../lib/jobs/presence.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { join } from "node:path";
import { EventReader, eventually, ManualClock, spawnServer, startServer, type TestServer } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

/** A heartbeat a second: what the test waits for after moving the clock. */
const HERE_MS = 1000;

async function nextHere(events: EventReader): Promise<string[]> {
  return (JSON.parse((await events.next("HERE_UPDATE", 6000)).data) as { here: string[] }).here;
}

/** Reads HERE_UPDATEs until one says `names`. */
async function hereBecomes(events: EventReader, names: string[]): Promise<void> {
  while (JSON.stringify(await nextHere(events)) !== JSON.stringify(names));
}

async function hereOf(s: TestServer, room: string): Promise<unknown> {
  return ((await (await fetch(`${s.url}/api/rooms/${room}`)).json()) as { here?: unknown }).here;
}

describe.skipIf(!redisInstalled)("who is here with instances sharing one Redis", () => {
  const shared = sharedRedis();
  // The tests keep apart in Redis (key prefixes, a database of its own) and run at once, so
  // that a killed instance's heartbeat runs out while the others go on.

  test.concurrent("listeners on either instance hear everyone here; an instance that dies takes its people with it", async () => {
    const clock = new ManualClock();
    const start = async () =>
      startServer({ hereMs: HERE_MS, redisUrl: shared().url }, { clock, store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix: "here:" }) });
    const a = await start();
    await using b = await start();
    for (const name of ["alice", "bob"]) await fetch(`${a.url}/api/rooms/team/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
    await using watcher = await EventReader.open(`${b.url}/team/events`);
    await watcher.next("TEAM_UPDATE");
    const alice = await EventReader.open(`${a.url}/team/events?user=alice`);
    expect(await nextHere(watcher)).toEqual(["alice"]);
    await using bob = await EventReader.open(`${b.url}/team/events?user=bob`);
    expect(await nextHere(watcher)).toEqual(["alice", "bob"]);
    await hereBecomes(alice, ["alice", "bob"]);
    expect(await hereOf(a, "team")).toEqual(["alice", "bob"]);
    expect(bob.response.status).toBe(200);

    // A stops without a word: its report stays in Redis until its heartbeat runs out.
    alice.close();
    await a.close();
    expect(await hereOf(b, "team")).toEqual(["alice", "bob"]);
    clock.advance(HERE_MS * REPORT_INTERVALS);
    // B's next heartbeat keeps its own report, and reads the room again.
    expect(await nextHere(watcher)).toEqual(["bob"]);
    await eventually(async () => JSON.stringify(await hereOf(b, "team")) === '["bob"]');
  });

  test.concurrent("an instance killed outright takes its people with it once its heartbeat runs out", async () => {
    // Database 5, the default key prefix: the spawned server's and this one's, apart from the other tests'.
    const url = `${shared().url}/5`;
    await using b = await startServer({ hereMs: HERE_MS, redisUrl: url }, { store: await RedisStore.open(url, systemClock, silentLogger) });
    await using a = await spawnServer([process.execPath, join(import.meta.dir, "..", "server.ts")], { env: { REDIS_URL: url, HERE_SECONDS: "1" } });
    await fetch(`${b.url}/api/rooms/killed/roster`, { method: "POST", body: JSON.stringify({ action: "add", name: "alice" }) });
    await using watcher = await EventReader.open(`${b.url}/killed/events`);
    await watcher.next("TEAM_UPDATE");
    const alice = await EventReader.open(`${a.url}/killed/events?user=alice`);
    expect(await nextHere(watcher)).toEqual(["alice"]);
    a.child.kill("SIGKILL");
    await a.child.exited;
    alice.close();
    // Its report holds three heartbeats (3 s), then B's next one finds it gone.
    expect(await nextHere(watcher)).toEqual([]);
  }, 15_000);

  test.concurrent("a room that opts in on one instance counts in the listeners another instance holds", async () => {
    const clock = new ManualClock();
    const start = async () =>
      startServer({ hereMs: HERE_MS, redisUrl: shared().url }, { clock, store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix: "here-opt-in:" }) });
    await using a = await start();
    await using b = await start();
    await using carol = await EventReader.open(`${b.url}/later/events?user=carol`);
    await carol.next("GOAL_REQUEST");
    await fetch(`${a.url}/api/rooms/later/roster`, { method: "POST", body: JSON.stringify({ action: "add", name: "carol" }) });
    expect(await nextHere(carol)).toEqual(["carol"]);
    expect(await hereOf(a, "later")).toEqual(["carol"]);
  });
});
