// PROTOCOL.md, line by line, over a real socket: one suite for every way the service can be
// set up. test/protocol.test.ts runs it against one server; test/redis-proxy-protocol.test.ts
// against two instances on one Redis behind a round-robin proxy, where each request may
// reach either instance.
import { describe, expect, test } from "bun:test";
import type { Config } from "../lib/config.ts";
import { EventReader, ManualClock, eventually } from "./helpers.ts";

/** The service under test, as a client sees it. */
export interface Target extends AsyncDisposable {
  url: string;
  put(path: string, body: unknown): Promise<Response>;
  /** Whether nginx stands in front, which takes the headers meant for it. */
  proxied?: boolean;
}

/** Starts the service with these settings; a clock given is the one every part of it reads. */
export type StartTarget = (overrides?: Partial<Config>, options?: { clock?: ManualClock }) => Promise<Target>;

const FRACTIONAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
export const EMPTY_TIMER = { timer: 0, requested: null, user: null, nextUser: null, type: null };
export const NO_GOAL = { goal: null, user: null, requested: null };

export function protocolSuite(start: StartTarget): void {
  describe("a room's event stream", () => {
    test("a new room sends empty history, the empty timer request and no goal, in that order", async () => {
      await using s = await start();
      await using events = await EventReader.open(`${s.url}/fresh/events`);
      expect(await events.replay()).toEqual({ history: [], timer: EMPTY_TIMER, goal: NO_GOAL });
    });

    test("both event streams carry the headers that browsers and nginx need", async () => {
      await using s = await start();
      for (const path of ["/room/events", "/events"]) {
        await using events = await EventReader.open(`${s.url}${path}`);
        expect(events.response.status).toBe(200);
        expect(events.response.headers.get("content-type")).toBe("text/event-stream");
        expect(events.response.headers.get("cache-control")).toBe(
          "no-store, no-cache, must-revalidate, proxy-revalidate, max-age=0",
        );
        // Meant for nginx, which acts on it and does not pass it on.
      if (!s.proxied) expect(events.response.headers.get("x-accel-buffering")).toBe("no");
      }
    });

    test("every listener of a room gets each timer, with the fields in wire order", async () => {
      await using s = await start();
      await using first = await EventReader.open(`${s.url}/team/events`);
      await using second = await EventReader.open(`${s.url}/team/events`);
      await first.replay();
      await second.replay();

      const response = await s.put("/team", { timer: 10, user: "alice" });
      expect(response.status).toBe(202);
      expect(await response.text()).toBe("");

      for (const listener of [first, second]) {
        const event = await listener.next("TIMER_REQUEST");
        expect(Object.keys(JSON.parse(event.data))).toEqual(["timer", "requested", "user", "nextUser", "type"]);
        const timer = JSON.parse(event.data);
        expect(timer).toMatchObject({ timer: 10, user: "alice", nextUser: null, type: "TIMER" });
        expect(timer.requested).toMatch(FRACTIONAL_UTC);
      }
    });

    test("a listener of another room hears nothing", async () => {
      await using s = await start({ keepAliveMs: 60_000 });
      await using other = await EventReader.open(`${s.url}/other/events`);
      await other.replay();
      await s.put("/team", { timer: 10, user: "alice" });
      await s.put("/other/goal", { goal: "marker" });
      expect((await other.next()).event).toBe("GOAL_REQUEST");
    });

    test("a late joiner gets the earlier history, then the latest timer, then the goal", async () => {
      const clock = new ManualClock();
      await using s = await start({}, { clock });
      await s.put("/team", { timer: 10, user: "alice" });
      clock.advance(1000);
      await s.put("/team", { breaktimer: 5, user: "" });
      clock.advance(1000);
      await s.put("/team", { timer: 15, user: "bob" });
      await s.put("/team/goal", { goal: "ship it", user: "carol" });

      await using late = await EventReader.open(`${s.url}/team/events`);
      const { history, timer, goal } = await late.replay();
      expect(history).toEqual([
        { timer: 10, requested: "2026-11-21T09:00:00.000Z", user: "alice", nextUser: null, type: "TIMER" },
        { timer: 5, requested: "2026-11-21T09:00:01.000Z", user: "", nextUser: null, type: "BREAKTIMER" },
      ]);
      expect(timer).toEqual({ timer: 15, requested: "2026-11-21T09:00:02.000Z", user: "bob", nextUser: "alice", type: "TIMER" });
      expect(goal).toEqual({ goal: "ship it", user: "carol", requested: "2026-11-21T09:00:02.000Z" });
    });

    test("who is next follows the rotation across requests", async () => {
      await using s = await start();
      await using events = await EventReader.open(`${s.url}/mob/events`);
      await events.replay();
      const seen: (string | null)[] = [];
      for (const user of ["alice", "bob", "carol", "alice", "bob"]) {
        await s.put("/mob", { timer: 10, user });
        seen.push(JSON.parse((await events.next("TIMER_REQUEST")).data).nextUser);
      }
      await s.put("/mob", { breaktimer: 5 });
      seen.push(JSON.parse((await events.next("TIMER_REQUEST")).data).nextUser);
      expect(seen).toEqual([null, "alice", "alice", "bob", "carol", "carol"]);
    });

    test.each([
      [{ timer: -3 }, 0],
      [{ timer: 2000 }, 1440],
      [{ breaktimer: 99999, user: null }, 1440],
      [{ timer: 25.0 }, 25],
    ])("%j is clamped to %p minutes", async (body, minutes) => {
      await using s = await start();
      await using events = await EventReader.open(`${s.url}/clamp/events`);
      await events.replay();
      expect((await s.put("/clamp", body)).status).toBe(202);
      expect(JSON.parse((await events.next("TIMER_REQUEST")).data).timer).toBe(minutes);
    });

    test("user names with quotes, newlines, HTML and emoji are stored and echoed as sent, on one data line", async () => {
      await using s = await start();
      await using events = await EventReader.open(`${s.url}/names/events`);
      await events.replay();
      const user = 'al"ice\n\nevent:FAKE\ndata:x <b>bold</b> 🎉 \\';
      await s.put("/names", { timer: 5, user });
      const event = await events.next();
      expect(event.event).toBe("TIMER_REQUEST");
      expect(JSON.parse(event.data).user).toBe(user);
      expect(event.data).not.toContain("\n");
    });

    test("a wrong or missing content type is accepted when the body is JSON", async () => {
      await using s = await start();
      const contentTypes: Record<string, string>[] = [{}, { "Content-Type": "text/plain" }, { "Content-Type": "application/x-www-form-urlencoded" }];
      for (const headers of contentTypes) {
        const response = await fetch(`${s.url}/ct`, { method: "PUT", headers, body: '{"timer":1}' });
        expect(response.status).toBe(202);
      }
      // Behind a proxy to several instances, the instance that answers may still await its feed.
      await eventually(async () => (await (await fetch(`${s.url}/api/rooms/ct`)).json()).seq === 3);
    });

    test("keep-alives reach every room stream once per configured interval", async () => {
      await using s = await start({ keepAliveMs: 400 });
      // Five streams fall into different keep-alive groups; each must still get its own.
      const streams = await Promise.all([1, 2, 3, 4, 5].map((i) => EventReader.open(`${s.url}/alive-${i % 2}/events`)));
      await Promise.all(streams.map((e) => e.replay()));
      const opened = Date.now();
      for (const events of streams) {
        const keepAlive = await events.next("KEEP_ALIVE", 1000);
        expect(JSON.parse(keepAlive.data)).toEqual({ timer: null, requested: null, user: null, nextUser: null, type: null });
      }
      await Bun.sleep(Math.max(0, opened + 1000 - Date.now()));
      for (const events of streams) {
        const count = events.received.filter((e) => e.event === "KEEP_ALIVE").length;
        expect(count).toBeGreaterThanOrEqual(2);
        expect(count).toBeLessThanOrEqual(3);
        events.close();
      }
    });
  });

  describe("rooms named like the server's own paths", () => {
    test.each(["events", "help", "stats", "assets", "api", "actuator"])(
      "a room named %s has its timer, goal and event stream",
      async (room) => {
        await using s = await start();
        await using events = await EventReader.open(`${s.url}/${room}/events`);
        expect(events.response.headers.get("content-type")).toBe("text/event-stream");
        await events.replay();
        expect((await s.put(`/${room}`, { timer: 5, user: "alice" })).status).toBe(202);
        expect(JSON.parse((await events.next("TIMER_REQUEST")).data).user).toBe("alice");
        expect((await s.put(`/${room}/goal`, { goal: "g" })).status).toBe(202);
        // Behind a proxy to several instances, the read may reach the listener's instance,
        // which knows the goal once its feed has brought it.
        expect(JSON.parse((await events.next("GOAL_REQUEST")).data).goal).toBe("g");
        expect(await (await fetch(`${s.url}/${room}/goal`)).json()).toEqual({ goal: "g" });
      },
    );
  });

  describe("goals", () => {
    test("set, read, delete: each change reaches listeners, and reading answers 200 or 204", async () => {
      const clock = new ManualClock();
      await using s = await start({}, { clock });
      await using events = await EventReader.open(`${s.url}/g/events`);
      await events.replay();

      expect((await fetch(`${s.url}/g/goal`)).status).toBe(204);
      expect((await s.put("/g/goal", { goal: "write tests", user: "alice" })).status).toBe(202);
      expect(JSON.parse((await events.next("GOAL_REQUEST")).data)).toEqual({
        goal: "write tests",
        user: "alice",
        requested: "2026-11-21T09:00:00.000Z",
      });
      const read = await fetch(`${s.url}/g/goal`);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual({ goal: "write tests" });

      clock.advance(500);
      const deleted = await fetch(`${s.url}/g/goal`, { method: "DELETE", body: JSON.stringify({ user: "bob" }) });
      expect(deleted.status).toBe(202);
      expect(await deleted.text()).toBe("");
      expect(JSON.parse((await events.next("GOAL_REQUEST")).data)).toEqual({
        goal: null,
        user: "bob",
        requested: "2026-11-21T09:00:00.500Z",
      });
      const gone = await fetch(`${s.url}/g/goal`);
      expect(gone.status).toBe(204);
      expect(await gone.text()).toBe("");

      // A listener who joins now sees who deleted it.
      await using late = await EventReader.open(`${s.url}/g/events`);
      expect((await late.replay()).goal).toEqual({ goal: null, user: "bob", requested: "2026-11-21T09:00:00.500Z" });
    });

    test("deleting without a goal, or without a body, answers 202 and announces nothing", async () => {
      await using s = await start();
      await using events = await EventReader.open(`${s.url}/g/events`);
      await events.replay();
      expect((await fetch(`${s.url}/g/goal`, { method: "DELETE" })).status).toBe(202);
      await s.put("/g", { timer: 1 });
      expect((await events.next()).event).toBe("TIMER_REQUEST");
    });

    test("a goal over 256 characters is cut to 252 and ...", async () => {
      await using s = await start();
      await s.put("/g/goal", { goal: "z".repeat(300) });
      expect(await (await fetch(`${s.url}/g/goal`)).json()).toEqual({ goal: `${"z".repeat(252)}...` });
    });
  });

  describe("the index stream", () => {
    test("counts listeners and running timers, rising and falling as they come and go", async () => {
      const clock = new ManualClock();
      await using s = await start({ countsMs: 20 }, { clock });
      await using index = await EventReader.open(`${s.url}/events`);
      const latest = async (name: string, expected: string) => {
        for (;;) if ((await index.next(name)).data === expected) return;
      };
      expect(await index.next()).toMatchObject({ event: "ACTIVE_USERS_UPDATE", data: "0" });
      expect(await index.next()).toMatchObject({ event: "ACTIVE_TIMERS_UPDATE", data: "0" });

      const a = await EventReader.open(`${s.url}/a/events`);
      const b = await EventReader.open(`${s.url}/b/events`);
      await latest("ACTIVE_USERS_UPDATE", "2");
      await s.put("/a", { timer: 5 });
      await s.put("/b", { timer: 10 });
      await latest("ACTIVE_TIMERS_UPDATE", "2");
      clock.advance(5 * 60_000);
      await latest("ACTIVE_TIMERS_UPDATE", "1");
      a.close();
      await latest("ACTIVE_USERS_UPDATE", "1");
      b.close();
      await latest("ACTIVE_USERS_UPDATE", "0");
    });
  });

  describe("housekeeping", () => {
    test("history older than 24 hours is swept, and listeners get the empty timer request once", async () => {
      const clock = new ManualClock();
      await using s = await start({ sweepMs: 20, keepAliveMs: 60_000 }, { clock });
      await s.put("/old", { timer: 10, user: "alice" });
      clock.advance(60 * 60_000);
      await s.put("/old", { timer: 10, user: "bob" });
      await using events = await EventReader.open(`${s.url}/old/events`);
      await events.replay();

      clock.advance(23 * 60 * 60_000 + 1);
      // Each instance behind a proxy sweeps on its own turn: until both have, a read may reach either.
      const kept = async () => (await (await fetch(`${s.url}/api/rooms/old`)).json()).history.map((entry: { user: string }) => entry.user);
      await eventually(async () => (await kept()).join() === "bob" && (await kept()).join() === "bob");

      clock.advance(60 * 60_000);
      expect(JSON.parse((await events.next("TIMER_REQUEST")).data)).toEqual(EMPTY_TIMER);
      // Several more sweeps pass; the empty request is not repeated.
      await clock.readMore(10);
      await s.put("/old/goal", { goal: "marker" });
      expect((await events.next()).event).toBe("GOAL_REQUEST");
    });

    test("reading a goal or the page of an unknown room creates nothing", async () => {
      await using s = await start();
      await fetch(`${s.url}/ghost/goal`);
      await fetch(`${s.url}/ghost`);
      await fetch(`${s.url}/ghost/goal`, { method: "DELETE" });
      expect((await (await fetch(`${s.url}/api/health`)).json()).rooms).toBe(0);
    });
  });

  describe("statistics", () => {
    test("count timers and breaks per duration and goals set, since a UTC date", async () => {
      await using s = await start({}, { clock: new ManualClock() });
      await s.put("/s", { timer: 10 });
      await s.put("/s", { timer: 10 });
      await s.put("/s", { breaktimer: 5 });
      await s.put("/s/goal", { goal: "g" });
      const page = await (await fetch(`${s.url}/stats`)).text();
      expect(page).toContain("<strong>1</strong> goal set");
      expect(page).toContain("<td>10</td><td>2</td><td>0</td>");
      expect(page).toContain("<td>5</td><td>0</td><td>1</td>");
      expect(page).toContain('<time datetime="2026-11-21T09:00:00.000Z">21 November 2026 at 09:00 UTC</time>');
    });
  });
}
