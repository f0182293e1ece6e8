// Several instances on one real Redis, as clients see them over HTTP and event streams:
// one order per room whichever instance a change reaches, the same ids everywhere, late
// joiners, instances started later, and the faults: dropped connections, Redis killed and
// restarted from its append-only file, Redis down when an instance starts.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import type { Logger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { join } from "node:path";
import { EventReader, eventually, ManualClock, spawnServer, startServer, type TestServer } from "./helpers.ts";
import { redisInstalled, sharedRedis, startRedis } from "./redis-server.ts";
import { answerLosingProxy } from "./answer-losing-proxy.ts";

/** Log lines an instance wrote, as "level message". */
type Lines = string[];

function collecting(lines: Lines): Logger {
  return { log: (level, message) => void lines.push(`${level} ${message}`), flush() {} };
}

/** PROTOCOL.md's "who is next" for a TIMER by `user` after `earlier` TIMER users, oldest first. */
function nextUser(earlier: (string | null)[], user: string): string | null {
  if (earlier.length === 0) return null;
  const names = earlier.filter((name): name is string => name !== null && name.trim() !== "");
  while (names.length > 0 && names[names.length - 1] === user) names.pop();
  if (names.length === 0) return null;
  const last = names.lastIndexOf(user);
  return last === -1 ? names[0]! : (names[last + 1] ?? null);
}

/**
 * Waits until `user`'s timer reaches a listener of `url`: live on `reader`, or in the replay
 * of a new stream after the server told this one to reconnect. Returns the stream now open.
 */
async function receives(reader: EventReader, url: string, user: string, timeoutMs = 8000): Promise<EventReader> {
  const deadline = Date.now() + timeoutMs;
  let current = reader;
  for (;;) {
    try {
      for (;;) {
        const event = await current.next("TIMER_REQUEST", Math.max(1, deadline - Date.now()));
        if (JSON.parse(event.data).user === user) return current;
      }
    } catch (error) {
      if (!String(error).includes("stream ended")) throw error;
      current = await EventReader.open(url);
      const replay = await current.replay();
      if (usersIn(replay).includes(user)) return current;
    }
  }
}

/** Listeners of `room`, one on each server, past their opening replay; closed when disposed. */
async function listeners(servers: TestServer[], room: string): Promise<EventReader[] & Disposable> {
  const readers = await Promise.all(servers.map((server) => EventReader.open(`${server.url}/${room}/events`)));
  for (const reader of readers) await reader.replay();
  return Object.assign(readers, { [Symbol.dispose]: () => readers.forEach((reader) => reader.close()) });
}

/** The users of a replay's timers, oldest first. */
function usersIn(replay: { history: unknown[]; timer: Record<string, unknown> }): unknown[] {
  return [...(replay.history as { user: string }[]).map((entry) => entry.user), replay.timer.user];
}

/** PUTs until one is accepted, as a person at the mob CLI would while Redis comes back. */
async function putUntilAccepted(server: TestServer, path: string, body: unknown, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await server.put(path, body);
    if (answer.status === 202) return;
    expect(answer.status).toBe(503);
    if (Date.now() > deadline) throw new Error(`still ${answer.status} after ${timeoutMs} ms`);
    await Bun.sleep(50);
  }
}

describe.skipIf(!redisInstalled)("instances sharing one Redis", () => {
  const shared = sharedRedis();
  let prefixes = 0;

  /** Instances of one test share a prefix: one service; another test starts from nothing. */
  function service() {
    const prefix = `instances-${++prefixes}:`;
    return async (lines: Lines = []) =>
      startServer({ writesPerMinute: 10_000, redisUrl: shared().url }, { store: await RedisStore.open(shared().url, systemClock, collecting(lines), { prefix }), logger: collecting(lines) });
  }

  test("a change made on one instance reaches listeners of all three, with the same ids", async () => {
    const start = service();
    await using a = await start();
    await using b = await start();
    await using c = await start();
    using readers = await listeners([a, b, c], "team");
    expect((await b.put("/team", { timer: 10, user: "alice" })).status).toBe(202);
    expect((await c.put("/team/goal", { goal: "ship it", user: "bob" })).status).toBe(202);
    for (const reader of readers) {
      const timer = await reader.next("TIMER_REQUEST");
      const goal = await reader.next("GOAL_REQUEST");
      expect([timer.id, JSON.parse(timer.data).user, goal.id, JSON.parse(goal.data).goal]).toEqual(["1", "alice", "2", "ship it"]);
    }
  });

  test("60 PUTs at once over two instances give one order that every listener sees, with PROTOCOL.md's rotation", async () => {
    const start = service();
    await using a = await start();
    await using b = await start();
    using readers = await listeners([a, b], "busy");
    const [onA, onB] = [readers[0]!, readers[1]!];
    const users = Array.from({ length: 60 }, (_, i) => `user-${i % 7}`);
    const answers = await Promise.all(users.map((user, i) => (i % 2 ? b : a).put("/busy", { timer: 5, user })));
    expect(answers.map((r) => r.status)).toEqual(users.map(() => 202));
    const seenA = await Promise.all(users.map(() => onA.next("TIMER_REQUEST")));
    const seenB = await Promise.all(users.map(() => onB.next("TIMER_REQUEST")));
    expect(seenB).toEqual(seenA);
    expect(seenA.map((e) => Number(e.id))).toEqual(users.map((_, i) => i + 1));
    const entries = seenA.map((e) => JSON.parse(e.data) as { user: string; nextUser: string | null });
    const order = entries.map((e) => e.user);
    expect(entries.map((e) => e.nextUser)).toEqual(order.map((user, i) => nextUser(order.slice(0, i), user)));
    // Late joiners on either instance get that same order.
    for (const server of [a, b]) {
      await using late = await EventReader.open(`${server.url}/busy/events`);
      const replay = await late.replay();
      expect(usersIn(replay)).toEqual(order);
    }
  });

  test("a goal set on one instance and deleted on another reaches listeners of both", async () => {
    const start = service();
    await using a = await start();
    await using b = await start();
    using readers = await listeners([a, b], "g");
    expect((await a.put("/g/goal", { goal: "refactor", user: "alice" })).status).toBe(202);
    // Instance b deletes what it has been told of: a goal set elsewhere a moment ago is not yet.
    const set = await readers[1]!.next("GOAL_REQUEST");
    const deletion = await fetch(`${b.url}/g/goal`, { method: "DELETE", body: JSON.stringify({ user: "bob" }) });
    expect(deletion.status).toBe(202);
    const seen = [[set, await readers[1]!.next("GOAL_REQUEST")], [await readers[0]!.next("GOAL_REQUEST"), await readers[0]!.next("GOAL_REQUEST")]];
    for (const [added, deleted] of seen) {
      expect([added!.id, JSON.parse(added!.data).goal, deleted!.id, JSON.parse(deleted!.data)]).toEqual(["1", "refactor", "2", { goal: null, user: "bob", requested: expect.any(String) }]);
    }
    expect((await fetch(`${a.url}/g/goal`)).status).toBe(204);
    expect((await fetch(`${b.url}/g/goal`)).status).toBe(204);
  });

  test("history expiring is announced once, however many instances sweep", async () => {
    const clock = new ManualClock();
    const prefix = `instances-${++prefixes}:`;
    const instance = async () => startServer({ redisUrl: shared().url }, { clock, store: await RedisStore.open(shared().url, clock, collecting([]), { prefix }) });
    await using a = await instance();
    await using b = await instance();
    using readers = await listeners([a, b], "old");
    await a.put("/old", { timer: 5, user: "alice" });
    clock.advance(25 * 3_600_000);
    await Promise.all([a.app.rooms.sweep(), b.app.rooms.sweep()]);
    await b.put("/old", { timer: 5, user: "bob" });
    for (const reader of readers) {
      const events = [await reader.next("TIMER_REQUEST"), await reader.next("TIMER_REQUEST"), await reader.next("TIMER_REQUEST")];
      expect(events.map((e) => [e.id, JSON.parse(e.data).user])).toEqual([["1", "alice"], ["2", null], ["3", "bob"]]);
    }
  });

  test("an instance started after the writes sees them, and numbers on from them", async () => {
    const start = service();
    await using a = await start();
    await a.put("/early", { timer: 10, user: "alice" });
    await a.put("/early/goal", { goal: "g", user: "alice" });
    await a.close();
    await using b = await start();
    await using events = await EventReader.open(`${b.url}/early/events`);
    const replay = await events.replay();
    expect([replay.timer.user, replay.goal.goal]).toEqual(["alice", "g"]);
    await b.put("/early", { timer: 5, user: "bob" });
    const next = await events.next("TIMER_REQUEST");
    expect([next.id, JSON.parse(next.data).nextUser]).toEqual(["3", "alice"]);
    expect(await (await fetch(`${b.url}/api/health`)).json()).toMatchObject({ status: "ok", rooms: 1, storage: { kind: "redis" } });
  });

  test("connections Redis drops come back: listeners keep their streams or are sent what changed meanwhile", async () => {
    const start = service();
    const lines: Lines = [];
    await using a = await start(lines);
    await using b = await start();
    const urls = [`${a.url}/k/events`, `${b.url}/k/events`];
    let readers: EventReader[] = await listeners([a, b], "k");
    try {
      // The feeds' connections go: a change made before they are back is not published to them.
      await shared().command("CLIENT", "KILL", "TYPE", "pubsub");
      await putUntilAccepted(b, "/k", { timer: 10, user: "bob" });
      readers = await Promise.all(readers.map((reader, i) => receives(reader, urls[i]!, "bob")));
      // The command connections go: a change is refused (503) until they are back, then made.
      await shared().command("CLIENT", "KILL", "TYPE", "normal");
      await putUntilAccepted(a, "/k", { timer: 10, user: "carol" });
      readers = await Promise.all(readers.map((reader, i) => receives(reader, urls[i]!, "carol")));
      await eventually(async () => (await fetch(`${a.url}/api/health`)).status === 200, 5000);
      expect(lines).toContain("warn redis connection lost; reconnecting");
    } finally {
      for (const reader of readers) reader.close();
    }
  }, 20_000);

  test("a change whose answer from Redis is lost reaches the listeners of the instance that made it, once; its client is told 503", async () => {
    const prefix = `instances-${++prefixes}:`;
    using proxy = answerLosingProxy(shared().url);
    await using a = await startServer({ redisUrl: proxy.url }, { store: await RedisStore.open(proxy.url, systemClock, collecting([]), { prefix }) });
    using readers = await listeners([a], "lost-answer");
    const reader = readers[0]!;
    proxy.loseAnswerTo("lost-answer");
    expect((await a.put("/lost-answer", { timer: 10, user: "alice" })).status).toBe(503);
    const heard = await reader.next("TIMER_REQUEST", 3000);
    expect([heard.id, JSON.parse(heard.data).user]).toEqual(["1", "alice"]);
    // Made once: the next change is number 2, and the listener hears it once.
    await putUntilAccepted(a, "/lost-answer", { timer: 10, user: "bob" });
    const next = await reader.next("TIMER_REQUEST", 3000);
    expect([next.id, JSON.parse(next.data).user]).toEqual(["2", "bob"]);
  });

  test("Redis killed and started again keeps every accepted change (append-only file); meanwhile changes and health answer 503", async () => {
    const start = service();
    await using a = await start();
    await using b = await start();
    expect((await a.put("/r", { timer: 10, user: "alice" })).status).toBe(202);
    const urls = [`${a.url}/r/events`, `${b.url}/r/events`];
    let readers: EventReader[] = await listeners([a, b], "r");
    try {
      await shared().kill();
      const refused = await b.put("/r", { timer: 10, user: "mallory" });
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ error: expect.stringContaining("try again") });
      const health = await fetch(`${a.url}/api/health`);
      expect([health.status, (await health.json()).storage]).toEqual([503, { kind: "redis", status: "failing" }]);
      await shared().start();
      await putUntilAccepted(b, "/r", { timer: 10, user: "bob" });
      readers = await Promise.all(readers.map((reader, i) => receives(reader, urls[i]!, "bob")));
      await using late = await EventReader.open(urls[0]!);
      const replay = await late.replay();
      expect(usersIn(replay)).toEqual(["alice", "bob"]);
      expect(replay.timer.nextUser).toBe("alice");
    } finally {
      for (const reader of readers) reader.close();
    }
  }, 20_000);

  test("an instance started while Redis is down says so once, serves pages, answers 503, and recovers by itself", async () => {
    await using other = await startRedis();
    const prefix = "down-at-start:";
    const writer = await RedisStore.open(other.url, systemClock, collecting([]), { prefix });
    const at = new Date().toISOString();
    await writer.append("running", { kind: "timer", entry: { timer: 10, requested: at, user: "alice", nextUser: null, type: "TIMER" } }, 1);
    await writer.close();
    await other.kill();

    const lines: Lines = [];
    const store = await RedisStore.open(other.url, systemClock, collecting(lines), { prefix });
    await using s = await startServer({ redisUrl: other.url }, { store, logger: collecting(lines) });
    expect(lines).toEqual(["warn redis unreachable; health checks and changes answer 503 until it answers"]);
    expect((await fetch(`${s.url}/api/health`)).status).toBe(503);
    const refused = await s.put("/team", { timer: 10, user: "bob" });
    expect([refused.status, (await refused.json()).error]).toEqual([503, expect.stringContaining("try again")]);
    expect((await fetch(`${s.url}/`)).status).toBe(200);
    expect((await fetch(`${s.url}/team`)).status).toBe(200);

    await other.start();
    await eventually(async () => (await fetch(`${s.url}/api/health`)).status === 200, 5000);
    expect(lines).toContain("info redis connected");
    // The room whose timer runs is known once Redis answers, as at a normal start.
    await eventually(() => s.app.rooms.runningCount() === 1);
    expect((await s.put("/team", { timer: 10, user: "bob" })).status).toBe(202);
  }, 20_000);

  test("the server process with REDIS_URL names its Redis without the password, and shares rooms with another", async () => {
    const server = [process.execPath, join(import.meta.dir, "..", "server.ts")];
    const withPassword = shared().url.replace("redis://", "redis://default:hunter2@");
    // Redis without a password set takes any password for the default user.
    const env = { REDIS_URL: withPassword, WRITES_PER_MINUTE: "1000" };
    await using first = await spawnServer(server, { env });
    await using second = await spawnServer(server, { env });
    const started = await first.waitForLine("mob-timer started");
    expect(started).toContain(shared().url.replace("redis://", "redis://default:***@"));
    expect(first.lines.join("\n")).not.toContain("hunter2");
    await using events = await EventReader.open(`${second.url}/process-room/events`);
    await events.replay();
    expect((await fetch(`${first.url}/process-room`, { method: "PUT", body: '{"timer":3,"user":"alice"}' })).status).toBe(202);
    expect(JSON.parse((await events.next("TIMER_REQUEST")).data)).toMatchObject({ user: "alice", timer: 3 });
  }, 20_000);

  test("a stuck Redis makes changes and health answer 503 after the call timeout; a change refused so is not made", async () => {
    await using stuck = await startRedis();
    const store = await RedisStore.open(stuck.url, systemClock, collecting([]), { prefix: "stuck:" });
    await using s = await startServer({ redisUrl: stuck.url }, { store });
    expect((await s.put("/slow", { timer: 10, user: "alice" })).status).toBe(202);
    using readers = await listeners([s], "slow");
    // A room with nothing in it yet, held by a listener: the room count for the new room times out.
    using _empty = await listeners([s], "empty");
    stuck.pause();
    try {
      const started = performance.now();
      const answers = await Promise.all([s.put("/slow", { timer: 10, user: "bob" }), s.put("/empty", { timer: 10, user: "carol" })]);
      for (const refused of answers) expect([refused.status, (await refused.json()).error]).toEqual([503, expect.stringContaining("try again")]);
      expect(performance.now() - started).toBeLessThan(4000);
      expect((await fetch(`${s.url}/api/health`)).status).toBe(503);
    } finally {
      stuck.resume();
    }
    // The changes reached Redis only after their deadline (half the call timeout): not made.
    await eventually(async () => (await fetch(`${s.url}/api/health`)).status === 200, 4000);
    expect((await s.put("/slow", { timer: 10, user: "carol" })).status).toBe(202);
    expect(JSON.parse((await readers[0]!.next("TIMER_REQUEST", 4000)).data).user).toBe("carol");
  }, 20_000);
});
