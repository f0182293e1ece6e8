// Time's up with two instances on one real Redis: both hold the room and both see the
// timer end on the same clock, yet listeners of either hear exactly one TIME_UP, with one id.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { silentLogger } from "../lib/base/log.ts";
import { CHECKS_PER_LOOK } from "../lib/jobs/time-up.ts";
import { EventReader, ManualClock, eventually, startServer, type TestServer } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

const MINUTE = 60_000;

describe.skipIf(!redisInstalled)("time's up with instances sharing one Redis", () => {
  const shared = sharedRedis();

  test("two instances that both hold a team's room announce its timer's end exactly once", async () => {
    const clock = new ManualClock();
    const start = async () =>
      startServer({ timeUpMs: 10, redisUrl: shared().url }, { clock, store: await RedisStore.open(shared().url, systemClock, silentLogger, { prefix: "time-up:" }) });
    await using a = await start();
    await using b = await start();
    await fetch(`${a.url}/api/rooms/team/roster`, { method: "POST", body: JSON.stringify({ action: "add", name: "alice" }) });
    const readers = await Promise.all([a, b].map((s: TestServer) => EventReader.open(`${s.url}/team/events`)));
    try {
      for (const reader of readers) {
        await reader.replay();
        await reader.next("TEAM_UPDATE");
      }
      for (let round = 0; round < 5; round++) {
        await (round % 2 ? b : a).put("/team", { timer: 10, user: "alice" });
        for (const reader of readers) await reader.next("TIMER_REQUEST", 5000);
        clock.advance(10 * MINUTE);
        const ups = await Promise.all(readers.map((reader) => reader.next("TIME_UP", 5000)));
        expect(ups[1]!.id).toBe(ups[0]!.id);
        // Both instances have had many checks since: a second announcement would come before this marker.
        await clock.readMore(20);
        await b.put("/team/goal", { goal: `marker ${round}`, user: null });
        for (const reader of readers) {
          let next = await reader.next(undefined, 5000);
          // A keep-alive may come in between at any time; it is no change.
          while (next.event === "KEEP_ALIVE") next = await reader.next(undefined, 5000);
          expect([next.event, Number(next.id)]).toEqual(["GOAL_REQUEST", Number(ups[0]!.id) + 1]);
        }
      }
    } finally {
      for (const reader of readers) reader.close();
    }
  });

  test("when the instance that took a timer dies, another announces its end, though nobody listens there", async () => {
    // One clock each, moved together, so that B's own checks can be counted.
    const clocks = [new ManualClock(), new ManualClock()] as const;
    const store = () => RedisStore.open(shared().url, systemClock, silentLogger, { prefix: "time-up-died:" });
    // Checks every 10 ms: another instance looks at the running timers every CHECKS_PER_LOOK checks.
    const a = await startServer({ timeUpMs: 10, redisUrl: shared().url }, { clock: clocks[0], store: await store() });
    await using b = await startServer({ timeUpMs: 10, redisUrl: shared().url }, { clock: clocks[1], store: await store() });
    await fetch(`${a.url}/api/rooms/team/roster`, { method: "POST", body: JSON.stringify({ action: "add", name: "alice" }) });
    expect((await a.put("/team", { timer: 10, user: "alice" })).status).toBe(202);
    const seq = (await (await fetch(`${b.url}/api/rooms/team`)).json()).seq;
    // B has read the room, and let it go: nobody holds it there.
    await clocks[1].readMore(CHECKS_PER_LOOK + 10);
    await a.close();
    for (const clock of clocks) clock.advance(10 * MINUTE);
    await eventually(async () => (await (await fetch(`${b.url}/api/rooms/team`)).json()).seq === seq + 1, 3000);
    // The one change since is the time's up, on time, not late: B saw the timer running.
    expect((await b.app.rooms.load("team")).settings?.timeUp).toEqual({ requested: expect.any(String) });
  });
});
