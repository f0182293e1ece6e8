// Webhooks with several instances on one real Redis: each change goes out once, from the
// instance that stored it, whichever instance the team's clients reach; a hook paused on
// one instance is paused on all; and a member's own word goes out once too.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { EventReader, ManualClock, eventually, startServer, type TestServer } from "./helpers.ts";
import { startReceiver } from "./hook-receiver.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

describe.skipIf(!redisInstalled)("webhooks with instances sharing one Redis", () => {
  const shared = sharedRedis();
  let prefixes = 0;

  function service() {
    const prefix = `hooks-${++prefixes}:`;
    return async () =>
      startServer(
        { writesPerMinute: 10_000, redisUrl: shared().url, webhookAllowPrivate: true, webhookBackoffMs: 10 },
        { store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix }) },
      );
  }

  test("each change reaches the receiver exactly once, whichever instance stored it", async () => {
    await using receiver = startReceiver();
    const start = service();
    await using a = await start();
    await using b = await start();
    const added = await fetch(`${a.url}/api/rooms/team/hooks`, { method: "POST", body: JSON.stringify({ format: "json", url: receiver.url }) });
    expect(added.status).toBe(201);
    const users = ["u0", "u1", "u2", "u3", "u4", "u5"];
    for (const [i, user] of users.entries()) expect((await (i % 2 ? b : a).put("/team", { timer: 10, user })).status).toBe(202);
    expect((await b.put("/team/goal", { goal: "ship it", user: "bob" })).status).toBe(202);
    await receiver.waitFor(users.length + 1);
    // A break started on each instance after them: both are delivered after any second copy of those changes.
    for (const [s, user] of [[a, "marker-a"], [b, "marker-b"]] as const) expect((await s.put("/team", { breaktimer: 5, user })).status).toBe(202);
    await eventually(() => receiver.received.filter((r) => JSON.parse(r.body).event === "break-started").length === 2);
    const sent = receiver.received.map((r) => JSON.parse(r.body));
    expect(sent.filter((e) => e.event === "timer-started").map((e) => e.details.entry.user).sort()).toEqual(users);
    expect(sent.filter((e) => e.event === "goal-set")).toHaveLength(1);
    expect(receiver.received).toHaveLength(users.length + 1 + 2);
  });

  test("a member's own target hears each \"you're next\" and \"your turn\" once, though both instances hold the room", async () => {
    await using bobs = startReceiver();
    await using marker = startReceiver();
    const clock = new ManualClock();
    const prefix = `hooks-${++prefixes}:`;
    const start = async () =>
      startServer(
        { writesPerMinute: 10_000, timeUpMs: 10, redisUrl: shared().url, webhookAllowPrivate: true, webhookBackoffMs: 10 },
        { clock, store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix }) },
      );
    await using a = await start();
    await using b = await start();
    const api = (s: TestServer, path: string, method: string, body: unknown) => fetch(`${s.url}/api/rooms/team/${path}`, { method, body: JSON.stringify(body) });
    for (const name of ["alice", "bob"]) expect((await api(a, "roster", "POST", { action: "add", name })).status).toBe(200);
    expect((await api(b, "targets", "PUT", { name: "bob", format: "json", url: bobs.url })).status).toBe(200);
    expect((await api(a, "hooks", "POST", { format: "json", url: marker.url, events: ["goal-set"] })).status).toBe(201);
    // Listeners on both instances hold the room there: both time-up jobs watch its timers.
    const readers = await Promise.all([a, b].map((s) => EventReader.open(`${s.url}/team/events`)));
    try {
      for (const reader of readers) await reader.replay();
      const rounds = 3;
      for (let round = 0; round < rounds; round++) {
        const [one, other] = round % 2 ? [b, a] : [a, b];
        await one.put("/team", { timer: 10, user: "alice" });
        for (const reader of readers) await reader.next("TIMER_REQUEST", 5000);
        clock.advance(10 * 60_000);
        for (const reader of readers) await reader.next("TIME_UP", 5000);
        await other.put("/team", { timer: 10, user: "bob" });
        await bobs.waitFor(2 * (round + 1));
      }
      // Both instances have had many checks since, and each has sent a marker queued after anything of theirs.
      await clock.readMore(20);
      for (const s of [a, b]) await s.put("/team/goal", { goal: "marker", user: null });
      await marker.waitFor(2);
      const events = bobs.received.map((r) => JSON.parse(r.body).event);
      expect(events).toEqual(Array.from({ length: rounds }, () => ["you-are-next", "your-turn"]).flat());
    } finally {
      for (const reader of readers) reader.close();
    }
  });

  test("a hook paused after failures on one instance is paused for the other, which sends nothing to it", async () => {
    await using receiver = startReceiver();
    const start = service();
    await using a = await start();
    await using b = await start();
    await fetch(`${a.url}/api/rooms/team/hooks`, { method: "POST", body: JSON.stringify({ format: "ntfy", url: receiver.url }) });
    receiver.answers.push(...Array(20).fill(503));
    const paused = async () => (await (await fetch(`${b.url}/api/rooms/team/hooks`)).json()).hooks[0].paused;
    for (let i = 0; !(await paused()); i++) {
      expect(i).toBeLessThan(5);
      await a.put("/team", { timer: 10, user: `a${i}` });
      await eventually(async () => (await (await fetch(`${b.url}/api/rooms/team/hooks`)).json()).hooks[0].failures === i + 1 || (await paused()), 5000);
    }
    const before = receiver.received.length;
    // A hook added now to another receiver hears of the next change when the paused one would have.
    await using marker = startReceiver();
    await fetch(`${b.url}/api/rooms/team/hooks`, { method: "POST", body: JSON.stringify({ format: "ntfy", url: marker.url }) });
    await b.put("/team", { timer: 10, user: "on-b" });
    await marker.waitFor(1);
    expect(receiver.received).toHaveLength(before);
  });
});

