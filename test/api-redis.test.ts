// The JSON API, long-poll and WebSocket on several instances sharing one real Redis: a
// command on one instance reaches sockets and waiters on the other, with the same ids.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { eventually, startServer } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";
import { Client, wsUrl } from "./ws-client.ts";

describe.skipIf(!redisInstalled)("the JSON API and sockets across instances on one Redis", () => {
  const shared = sharedRedis();
  let prefixes = 0;

  function service() {
    const prefix = `api-${++prefixes}:`;
    return async () => startServer({ redisUrl: shared().url }, { store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix }) });
  }

  test("a socket command on one instance reaches a socket and a long-poll on the other, and the JSON write back", async () => {
    const start = service();
    await using a = await start();
    await using b = await start();
    await using onA = await Client.open(wsUrl(a, "/team/ws"));
    await using onB = await Client.open(wsUrl(b, "/team/ws"));
    await onA.opening();
    await onB.opening();
    const polling = fetch(`${b.url}/api/rooms/team?since=0&wait=30`);
    await eventually(() => b.app.fanout.listeners("team") === 2);

    onA.send({ type: "timer", minutes: 5, user: "alice", ref: "a" });
    expect(await onA.next((m) => m.ref === "a")).toEqual({ ref: "a", ok: true, id: 1 });
    expect(await onB.next(undefined, 5000)).toMatchObject({ event: "TIMER_REQUEST", id: 1, data: { user: "alice" } });
    const answer = await polling;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ seq: 1, current: { user: "alice", running: true } });

    const write = await fetch(`${b.url}/api/rooms/team/goal`, { method: "PUT", body: JSON.stringify({ goal: "ship it", user: "bob" }) });
    expect(write.status).toBe(200);
    expect(await onA.next((m) => m.event === "GOAL_REQUEST", 5000)).toMatchObject({ id: 2, data: { goal: "ship it", user: "bob" } });
    expect(((await (await fetch(`${a.url}/api/rooms/team`)).json()) as { seq: number }).seq).toBe(2);
  });
});
