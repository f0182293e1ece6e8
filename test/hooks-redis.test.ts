// Webhooks with several instances on one real Redis: each change goes out once, from the
// instance that stored it, whichever instance the team's clients reach; and a hook paused
// on one instance is paused on all.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { eventually, startServer } from "./helpers.ts";
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

