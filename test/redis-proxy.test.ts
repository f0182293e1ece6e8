// Two instances on one Redis behind a real round-robin proxy (nginx, no sticky sessions):
// a client sees one timer service, whichever instance each of its requests reaches, also
// when an instance is killed or stuck.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { EventReader, spawnServer, startServer, type SseEvent } from "./helpers.ts";
import { nginxInstalled, startProxy } from "./nginx.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

const SERVER = join(import.meta.dir, "..", "server.ts");

const put = (url: string, body: unknown, method = "PUT") => fetch(url, { method, body: JSON.stringify(body) });

/** The room's events on `reader` after its replay: `count` of them, as [id, event, user or goal]. */
async function nextEvents(reader: EventReader, count: number): Promise<[string | undefined, string, unknown][]> {
  const events: SseEvent[] = [];
  while (events.length < count) {
    const event = await reader.next(undefined, 4000);
    if (event.event === "TIMER_REQUEST" || event.event === "GOAL_REQUEST") events.push(event);
  }
  return events.map((e) => [e.id, e.event, e.event === "TIMER_REQUEST" ? JSON.parse(e.data).user : JSON.parse(e.data).goal]);
}

/** The users of a replay's timers, oldest first. */
function usersIn(replay: { history: unknown[]; timer: Record<string, unknown> }): unknown[] {
  return [...(replay.history as { user: string }[]).map((entry) => entry.user), replay.timer.user];
}

describe.skipIf(!redisInstalled || !nginxInstalled)("two instances behind a round-robin proxy", () => {
  const redis = sharedRedis();

  test("timers, goals, listeners on both instances and the replay after a reconnect, all through the proxy", async () => {
    const prefix = "proxied:";
    const instance = async () => startServer({ redisUrl: redis().url, writesPerMinute: 10_000 }, { store: await RedisStore.open(redis().url, systemClock, silentLogger, { prefix }) });
    await using a = await instance();
    await using b = await instance();
    await using proxy = await startProxy([a.server.url.host, b.server.url.host]);
    const room = `${proxy.url}/team`;

    // Two listeners in a row: round robin puts one on each instance.
    await using first = await EventReader.open(`${room}/events`);
    await using second = await EventReader.open(`${room}/events`);
    for (const reader of [first, second]) expect(usersIn(await reader.replay())).toEqual([null]);
    expect([a.app.fanout.size, b.app.fanout.size]).toEqual([1, 1]);

    // Changes through the proxy land on either instance.
    expect((await put(room, { timer: 10, user: "alice" })).status).toBe(202);
    expect((await put(room, { timer: 10, user: "bob" })).status).toBe(202);
    expect((await put(`${room}/goal`, { goal: "ship it", user: "alice" })).status).toBe(202);
    for (let i = 0; i < 2; i++) expect(await (await fetch(`${room}/goal`)).json()).toEqual({ goal: "ship it" });
    expect((await put(`${room}/goal`, { user: "bob" }, "DELETE")).status).toBe(202);
    expect((await put(room, { breaktimer: 5, user: "bob" })).status).toBe(202);
    const expected: [string, string, unknown][] = [
      ["1", "TIMER_REQUEST", "alice"],
      ["2", "TIMER_REQUEST", "bob"],
      ["3", "GOAL_REQUEST", "ship it"],
      ["4", "GOAL_REQUEST", null],
      ["5", "TIMER_REQUEST", "bob"],
    ];
    expect(await nextEvents(first, 5)).toEqual(expected);
    expect(await nextEvents(second, 5)).toEqual(expected);

    // A reconnect reaches whichever instance: the same replay either way.
    first.close();
    const replays = [];
    for (let i = 0; i < 2; i++) {
      await using again = await EventReader.open(`${room}/events`);
      replays.push(await again.replay());
    }
    expect(replays[1]).toEqual(replays[0]!);
    expect(usersIn(replays[0]!)).toEqual(["alice", "bob", "bob"]);
    expect(replays[0]!.timer).toMatchObject({ type: "BREAKTIMER", nextUser: "alice" });
    expect(replays[0]!.goal).toMatchObject({ goal: null, user: "bob" });
  }, 20_000);

  test("an instance killed with -9: the other goes on, and a listener that reconnects through the proxy misses nothing", async () => {
    const env = { REDIS_URL: `${redis().url}/4`, WRITES_PER_MINUTE: "10000" };
    await using a = await spawnServer([process.execPath, SERVER], { env });
    await using b = await spawnServer([process.execPath, SERVER], { env });
    await using proxy = await startProxy([new URL(a.url).host, new URL(b.url).host]);
    const room = `${proxy.url}/survivors`;
    expect((await put(room, { timer: 10, user: "alice" })).status).toBe(202);
    const readers = [await EventReader.open(`${room}/events`), await EventReader.open(`${room}/events`)];
    try {
      for (const reader of readers) expect(usersIn(await reader.replay())).toEqual(["alice"]);

      a.child.kill("SIGKILL");
      await a.child.exited;
      // Every change goes on through the proxy: nginx passes a refused connection on to the other instance.
      for (const user of ["bob", "carol", "dan"]) expect((await put(room, { timer: 10, user })).status).toBe(202);

      let reconnected = 0;
      for (const [i, reader] of readers.entries()) {
        try {
          expect((await nextEvents(reader, 3)).map(([, , user]) => user)).toEqual(["bob", "carol", "dan"]);
        } catch (error) {
          // The listener of the killed instance: its stream ended, and it comes back through the proxy.
          if (!String(error).includes("stream ended")) throw error;
          reconnected++;
          readers[i] = await EventReader.open(`${room}/events`);
          const replay = await readers[i]!.replay();
          expect(usersIn(replay)).toEqual(["alice", "bob", "carol", "dan"]);
          expect((await put(room, { timer: 10, user: "erin" })).status).toBe(202);
          expect((await nextEvents(readers[i]!, 1))[0]).toEqual(["5", "TIMER_REQUEST", "erin"]);
        }
      }
      expect(reconnected).toBe(1);
    } finally {
      for (const reader of readers) reader.close();
    }
  }, 30_000);

  test("a stuck instance (SIGSTOP) does not hold up the other, and catches up when it goes on", async () => {
    const env = { REDIS_URL: `${redis().url}/5`, WRITES_PER_MINUTE: "10000" };
    await using a = await spawnServer([process.execPath, SERVER], { env });
    await using b = await spawnServer([process.execPath, SERVER], { env });
    await using onA = await EventReader.open(`${a.url}/stuck/events`);
    await using onB = await EventReader.open(`${b.url}/stuck/events`);
    await onA.replay();
    await onB.replay();
    a.child.kill("SIGSTOP");
    try {
      const started = performance.now();
      for (const user of ["alice", "bob"]) expect((await put(`${b.url}/stuck`, { timer: 10, user })).status).toBe(202);
      expect((await nextEvents(onB, 2)).map(([id, , user]) => [id, user])).toEqual([["1", "alice"], ["2", "bob"]]);
      expect((await fetch(`${b.url}/api/health`)).status).toBe(200);
      // Nothing waited for the stuck instance (its calls would time out after 2 s).
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      a.child.kill("SIGCONT");
    }
    expect((await nextEvents(onA, 2)).map(([id, , user]) => [id, user])).toEqual([["1", "alice"], ["2", "bob"]]);
  }, 20_000);
});
