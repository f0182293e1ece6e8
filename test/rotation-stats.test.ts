// A team's rotation statistics as clients see them (issue 24): GET /api/rooms/<room>/stats
// in-process on a manual clock (a private room needs its key, a room that never opted in
// has none, bad ?days= is a 400), kept across a restart and an export and import, counted
// once with two instances on one Redis, and the retro that time's up suggests as the
// webhooks and the mob CLI's line say it.
import { describe, expect, test } from "bun:test";
import { silentLogger } from "../lib/base/log.ts";
import type { RoomEvent, TimeUpCause } from "../lib/domain/changes.ts";
import type { RotationReport } from "../lib/domain/rotation-stats.ts";
import { noticeOf } from "../lib/hooks/notices.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import type { Store } from "../lib/store/store.ts";
import { exportLines, importLines } from "../lib/store/transfer.ts";
import { CHEAP_KEY_HASHING, ManualClock, eventually, inProcess, tempDirs, type Answering, type InProcessApp } from "./helpers.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

const MINUTE = 60_000;

function roster(s: Answering, room: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return s.fetch(`/api/rooms/${room}/roster`, { method: "POST", body: JSON.stringify(body), headers });
}

async function report(s: Answering, room: string, days = 1): Promise<RotationReport> {
  const answer = await s.fetch(`/api/rooms/${room}/stats?days=${days}`);
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toStartWith("application/json");
  return answer.json();
}

function turns(body: RotationReport): [string, number, number][] {
  return body.total.people.map((p) => [p.name, p.turns, p.workMinutes]);
}

/** `user` starts a timer of `minutes` through the mob CLI's PUT; `ran` minutes pass. Answers the CLI's line. */
async function turn(s: Answering & { clock: ManualClock }, room: string, user: string, minutes: number, ran = minutes): Promise<string> {
  const answer = await s.put(`/${room}`, { timer: minutes, user });
  expect(answer.status).toBe(202);
  s.clock.advance(ran * MINUTE);
  return answer.text();
}

/** Ann, bob and ann again, each for 10 minutes, the last one still open: two turns counted. */
async function rotate(s: Answering & { clock: ManualClock }, room: string): Promise<void> {
  await turn(s, room, "ann", 10);
  await turn(s, room, "bob", 10);
  await turn(s, room, "ann", 10);
}

describe("GET /api/rooms/<room>/stats", () => {
  test("answers the last days' rotation, a week unless ?days= says, oldest day first", async () => {
    await using s = await inProcess();
    for (const name of ["ann", "bob"]) await roster(s, "r", { action: "add", name });
    await rotate(s, "r");
    const week = await s.fetch("/api/rooms/r/stats");
    expect(week.status).toBe(200);
    const body: RotationReport = await week.json();
    expect([body.room, body.from, body.to, body.days.length]).toEqual(["r", "2026-11-15", "2026-11-21", 7]);
    expect(body.days[6]!.people.map((p) => [p.name, p.turns, p.workMinutes])).toEqual([
      ["ann", 1, 10],
      ["bob", 1, 10],
    ]);
    expect(body.days[6]!.rounds).toBe(1);
    const { day: _, ...today } = body.days[6]!;
    expect(body.total).toEqual(today);
    expect((await report(s, "r", 30)).days).toHaveLength(30);
  });

  test("?days= beyond ROOM_STATS_DAYS, below 1 or not a number is a 400 naming the range", async () => {
    await using s = await inProcess({ roomStatsDays: 10 });
    await roster(s, "r", { action: "add", name: "ann" });
    for (const days of ["0", "11", "x", "-1", "1.5"]) {
      const answer = await s.fetch(`/api/rooms/r/stats?days=${days}`);
      expect(answer.status, days).toBe(400);
      expect((await answer.json()).error).toMatch(/"days" must be a whole number/);
    }
    expect((await report(s, "r", 10)).days).toHaveLength(10);
  });

  test("a room that never opted in has none: 404, and its protocol stays as it is", async () => {
    await using s = await inProcess();
    const put = await s.put("/plain", { timer: 10, user: "ann" });
    expect([put.status, await put.text()]).toEqual([202, ""]);
    await s.put("/plain", { timer: 10, user: "bob" });
    for (const room of ["plain", "never-used"]) {
      const answer = await s.fetch(`/api/rooms/${room}/stats`);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual({ error: "this room has no statistics: only a team's room (one with a roster or a break cadence) counts its rotation" });
    }
    // Opted in later, it counts from then on: its earlier timers are not counted.
    await roster(s, "plain", { action: "add", name: "cat" });
    expect(turns(await report(s, "plain"))).toEqual([]);
  });

  test("a private room's statistics need its key, as its other reads do", async () => {
    await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
    const claimed = await s.fetch("/api/rooms/ours/owner", { method: "POST", body: JSON.stringify({ private: true }) });
    const { key } = await claimed.json();
    await roster(s, "ours", { action: "add", name: "ann" }, { "X-Room-Key": key });
    const without = await s.fetch("/api/rooms/ours/stats");
    expect(without.status).toBe(401);
    expect((await without.json()).error).toStartWith("this room is private: reading it needs its key");
    const wrong = await s.fetch("/api/rooms/ours/stats", { headers: { "X-Room-Key": "x".repeat(43) } });
    expect(wrong.status).toBe(401);
    const withKey = await s.fetch("/api/rooms/ours/stats", { headers: { "X-Room-Key": key } });
    expect(withKey.status).toBe(200);
  });

  test("a member's name taken out through the roster counts as someone", async () => {
    await using s = await inProcess();
    for (const name of ["ann", "bob"]) await roster(s, "r", { action: "add", name });
    await rotate(s, "r");
    expect((await roster(s, "r", { action: "anonymous", name: "ann" })).status).toBe(200);
    expect(turns(await report(s, "r"))).toEqual([
      ["bob", 1, 10],
      ["someone", 1, 10],
    ]);
    const room = await (await s.fetch("/api/rooms/r")).json();
    expect(room.team.roster.members[0]).toEqual({ name: "ann", away: false, role: null, anonymous: true });
    expect((await roster(s, "r", { action: "named", name: "nobody" })).status).toBe(400);
  });
});

describe("kept beyond the history", () => {
  const tempDir = tempDirs("rotation");

  test("across a restart on SQLite, the turn running at the stop counted after it", async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    let before: RotationReport;
    {
      await using s = await inProcess({}, { clock, store: await SqliteStore.open(dir, clock) });
      for (const name of ["ann", "bob"]) await roster(s, "r", { action: "add", name });
      await rotate(s, "r");
      before = await report(s, "r");
    }
    // The history goes after HISTORY_HOURS; the statistics stay.
    clock.advance(2 * 24 * 60 * MINUTE);
    await using s = await inProcess({}, { clock, store: await SqliteStore.open(dir, clock) });
    await s.app.rooms.sweep();
    expect((await report(s, "r", 3)).days[0]).toEqual(before.days[0]!);
    // Ann's turn before the stop ran its 10 minutes; bob's start now closes it.
    await turn(s, "r", "bob", 10);
    expect(turns(await report(s, "r", 3))).toEqual([
      ["ann", 2, 20],
      ["bob", 1, 10],
    ]);
  });

  test("an export and import carries the statistics and where their counting stands", async () => {
    const clock = new ManualClock();
    const source = new MemoryStore(clock);
    await using s = await inProcess({}, { clock, store: source });
    for (const name of ["ann", "bob"]) await roster(s, "r", { action: "add", name });
    await rotate(s, "r");
    const lines: string[] = [];
    for await (const line of exportLines(source, clock.now())) lines.push(line);
    expect(lines.map((line) => JSON.parse(line).kind)).toEqual(["mob-timer-export", "room", "room-stats", "stats"]);
    const target: Store = new MemoryStore(clock);
    await importLines(target, (async function* () { yield* lines; })());
    await using moved = await inProcess({}, { clock, store: target });
    expect(await report(moved, "r")).toEqual(await report(s, "r"));
    await turn(moved, "r", "bob", 10);
    expect(turns(await report(moved, "r"))).toEqual([
      ["ann", 2, 20],
      ["bob", 1, 10],
    ]);
  });
});

describe.skipIf(!redisInstalled)("with several instances", () => {
  const redis = sharedRedis();

  test("two instances on one Redis count each change once, whichever took it", async () => {
    const clock = new ManualClock();
    const open = () => RedisStore.open(redis().url, clock, silentLogger, { prefix: "rotation-twice:" });
    await using a = await inProcess({ redisUrl: redis().url }, { clock, store: await open() });
    await using b = await inProcess({ redisUrl: redis().url }, { clock, store: await open() });
    for (const name of ["ann", "bob"]) await roster(a, "r", { action: "add", name });
    // Both hold the room: each hears the other's changes through the feed.
    for (const s of [a, b]) {
      s.app.rooms.hold("r");
      await s.app.rooms.load("r");
    }
    for (const [i, user] of ["ann", "bob", "ann", "bob", "ann"].entries()) {
      const [by, other] = i % 2 ? [b, a] : [a, b];
      await turn({ ...by, clock }, "r", user, 10);
      // The other instance decides the next change from its copy: it waits to have heard this one.
      const seq = by.app.rooms.find("r")!.seq;
      await eventually(() => other.app.rooms.find("r")?.seq === seq);
    }
    const expected: [string, number, number][] = [
      ["ann", 2, 20],
      ["bob", 2, 20],
    ];
    expect(turns(await report(a, "r"))).toEqual(expected);
    expect(turns(await report(b, "r"))).toEqual(expected);
    expect((await report(b, "r")).days[0]!.rounds).toBe(2);
    a.app.rooms.release("r");
    b.app.rooms.release("r");
  });
});

describe("a retro after full rounds", () => {
  async function retroTeam(): Promise<InProcessApp> {
    // Time's up checks every 10 ms, on the manual clock.
    const s = await inProcess({ timeUpMs: 10 });
    for (const name of ["ann", "bob"]) await roster(s, "r", { action: "add", name });
    expect((await s.fetch("/api/rooms/r/cadence", { method: "PUT", body: JSON.stringify({ turns: null, minutes: null, retroRounds: 1 }) })).status).toBe(200);
    return s;
  }

  test("the cadence keeps retroRounds; the mob CLI's line says a retro is due after the turn that completes a round, until time's up said so", async () => {
    await using s = await retroTeam();
    expect((await (await s.fetch("/api/rooms/r")).json()).team.cadence).toEqual({ turns: null, minutes: null, retroRounds: 1 });
    expect(await turn(s, "r", "ann", 10)).not.toContain("retro");
    expect(await turn(s, "r", "bob", 10)).toContain(" · retro due after this turn · ");
    // Bob's timer ran out: time's up says a retro is due, and the count starts again.
    const bob = (await s.app.rooms.load("r")).latest!.requested;
    await eventually(async () => (await s.app.rooms.load("r")).settings?.timeUp?.requested === bob);
    expect(await turn(s, "r", "ann", 10)).not.toContain("retro");
    expect(await turn(s, "r", "bob", 10)).toContain("retro due after this turn");
  });

  test("retroRounds out of range is refused; a cadence with only retroRounds is a cadence", async () => {
    await using s = await inProcess();
    const refused = await s.fetch("/api/rooms/r/cadence", { method: "PUT", body: JSON.stringify({ retroRounds: 0 }) });
    expect([refused.status, (await refused.json()).error]).toEqual([400, '"retroRounds" must be null or a whole number from 1 to 50']);
    const set = await s.fetch("/api/rooms/r/cadence", { method: "PUT", body: JSON.stringify({ retroRounds: 2 }) });
    expect((await set.json()).team.cadence).toEqual({ turns: null, minutes: null, retroRounds: 2 });
  });

  test("time's up with retroDue reads so in the webhooks' text and payload", () => {
    const entry = { timer: 10, requested: "2026-11-21T09:00:00.000Z", user: "bob", nextUser: "ann", type: "TIMER" as const };
    const cause: TimeUpCause = { type: "time-up", entry, ended: "2026-11-21T09:10:00.000Z", late: false, next: "ann", breakDue: false, retroDue: true };
    const event: RoomEvent = { room: "r", seq: 9, change: { kind: "settings", settings: null, cause } };
    const notice = noticeOf(event, "2026-11-21T09:10:00.000Z")!;
    expect(notice.text).toBe("⏰ Time's up for bob — ann is next · a full round: retro due");
    expect(notice.details).toMatchObject({ retroDue: true, breakDue: false });
    const { retroDue: _, ...plain } = cause;
    expect(noticeOf({ ...event, change: { kind: "settings", settings: null, cause: plain } }, "2026-11-21T09:10:00.000Z")!.text).not.toContain("retro");
  });
});
