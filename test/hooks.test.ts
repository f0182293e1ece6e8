// Rooms' webhooks, black-box: hooks added over the JSON API, changes made as clients make
// them, and a real HTTP receiver on 127.0.0.1 that records what arrives. The operator
// setting that allows private addresses is on unless a test is about refusing them.
import { describe, expect, test } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import type { Config } from "../lib/config.ts";
import type { TimerRequest } from "../lib/domain/changes.ts";
import { HOOK_EVENTS } from "../lib/domain/settings.ts";
import { signature } from "../lib/hooks/signing.ts";
import type { Logger } from "../lib/base/log.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { EventReader, eventually, startServer, tempDirs, type TestServer } from "./helpers.ts";
import { startReceiver } from "./hook-receiver.ts";

/** Log lines as "level message {fields}". */
function collecting(lines: string[]): Logger {
  return { log: (level, message, fields) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`), flush() {} };
}

const DELIVERING: Partial<Config> = { webhookAllowPrivate: true, webhookBackoffMs: 10 };
const dataDir = tempDirs("hooks");

async function start(overrides: Partial<Config> = {}, lines: string[] = []): Promise<TestServer> {
  return startServer({ ...DELIVERING, ...overrides }, { logger: collecting(lines) });
}

function addHookOver(s: TestServer, room: string, body: unknown): Promise<Response> {
  return fetch(`${s.url}/api/rooms/${room}/hooks`, { method: "POST", body: JSON.stringify(body) });
}

async function added(s: TestServer, room: string, body: unknown): Promise<{ hook: { id: string; url: string; secret: string | null }; secret: string | null }> {
  const res = await addHookOver(s, room, body);
  expect(res.status).toBe(201);
  return res.json();
}

async function hooksOf(s: TestServer, room: string): Promise<{ id: string; paused: boolean; failures: number; lastError: string | null }[]> {
  const res = await fetch(`${s.url}/api/rooms/${room}/hooks`);
  expect(res.status).toBe(200);
  return (await res.json()).hooks;
}

/**
 * Adds a hook on a receiver of its own to `room`, makes a change there, and resolves once
 * that hook has it: the sender's queue is first in, first out, so any delivery queued
 * before, of any room, went out first.
 */
async function markerDelivered(s: TestServer, room: string): Promise<void> {
  await using marker = startReceiver();
  await added(s, room, { format: "json", url: marker.url });
  await s.put(`/${room}/goal`, { goal: "marker", user: null });
  await marker.waitFor(1);
}

/** Commits the time's-up change the team's turns job decides, as it would. */
function timeUp(s: TestServer, room: string, entry: TimerRequest, next: string | null, breakDue: boolean) {
  return s.app.rooms.commitDecided(room, (current) => ({
    kind: "settings",
    settings: current.settings,
    cause: { type: "time-up", entry, ended: "2026-11-21T09:10:00.000Z", late: false, next, breakDue },
  }));
}

const ALICE_TIMER: TimerRequest = { timer: 10, requested: "2026-11-21T09:00:00.000Z", user: "alice", nextUser: "bob", type: "TIMER" };

describe("delivery", () => {
  test("a json hook gets each timer signed: HMAC-SHA256 of timestamp, dot and body under the secret shown once", async () => {
    await using receiver = startReceiver();
    await using s = await start();
    const { secret, hook } = await added(s, "team", { format: "json", url: `${receiver.url}/in` });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hook.secret).toBe(`…${secret!.slice(-4)}`);
    expect((await s.put("/team", { timer: 10, user: "alice" })).status).toBe(202);
    const [delivery] = await receiver.waitFor(1);
    const body = JSON.parse(delivery!.body);
    expect(body).toMatchObject({ event: "timer-started", room: "team", details: { entry: { user: "alice", timer: 10, type: "TIMER" } } });
    expect(delivery!.path).toBe("/in");
    const timestamp = delivery!.headers.get("x-mob-timer-timestamp")!;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(delivery!.headers.get("x-mob-timer-signature")).toBe(`sha256=${signature(secret!, timestamp, delivery!.body)}`);
    expect(delivery!.headers.get("x-mob-timer-signature")).not.toBe(`sha256=${signature("another secret!!", timestamp, delivery!.body)}`);
  });

  test("a secret the team chose is the one that signs", async () => {
    await using receiver = startReceiver();
    await using s = await start();
    const chosen = "our-very-own-secret-1234";
    expect((await added(s, "team", { format: "json", url: receiver.url, secret: chosen })).secret).toBe(chosen);
    await s.put("/team/goal", { goal: "ship it", user: "bob" });
    const [delivery] = await receiver.waitFor(1);
    const timestamp = delivery!.headers.get("x-mob-timer-timestamp")!;
    expect(delivery!.headers.get("x-mob-timer-signature")).toBe(`sha256=${signature(chosen, timestamp, delivery!.body)}`);
    expect(JSON.parse(delivery!.body)).toMatchObject({ event: "goal-set", text: "🎯 New goal: ship it by bob" });
  });

  test("time's up reaches Slack as one short line saying who is next and that a break is due", async () => {
    await using receiver = startReceiver();
    await using s = await start({ publicUrl: "https://timer.example.org" });
    await added(s, "team", { format: "slack", url: receiver.url, events: ["time-up"] });
    await s.put("/team", { timer: 10, user: "alice" });
    await timeUp(s, "team", ALICE_TIMER, "bob", true);
    const [delivery] = await receiver.waitFor(1);
    const body = JSON.parse(delivery!.body);
    expect(body.text).toBe("⏰ Time's up for alice — bob is next · break due (#team)");
    expect(body.blocks[0].text.text).toBe("*⏰ Time's up for alice — bob is next · break due*");
    expect(body.blocks[1].elements[0].text).toBe("<https://timer.example.org/team|#team> · mob timer");
    // Only the event the hook asked for: the timer itself went nowhere.
    await markerDelivered(s, "team");
    expect(receiver.received).toHaveLength(1);
  });

  test("each format gets its own shape: Mattermost text, a Teams card, ntfy plain text with headers", async () => {
    await using receiver = startReceiver();
    await using s = await start();
    await added(s, "team", { format: "mattermost", url: `${receiver.url}/mm` });
    await added(s, "team", { format: "teams", url: `${receiver.url}/teams` });
    await added(s, "team", { format: "ntfy", url: `${receiver.url}/ntfy` });
    await timeUp(s, "team", ALICE_TIMER, "bob", false);
    const byPath = new Map((await receiver.waitFor(3)).map((r) => [r.path, r]));
    expect(JSON.parse(byPath.get("/mm")!.body)).toEqual({ text: "⏰ Time's up for alice — bob is next · #team" });
    const teams = JSON.parse(byPath.get("/teams")!.body);
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0].content.body.map((b: { text: string }) => b.text)).toEqual(["Time's up in #team", "⏰ Time's up for alice — bob is next"]);
    const ntfy = byPath.get("/ntfy")!;
    expect(ntfy.body).toBe("⏰ Time's up for alice — bob is next");
    expect([ntfy.headers.get("title"), ntfy.headers.get("tags"), ntfy.headers.get("priority")]).toEqual(["Time's up in #team", "alarm_clock", "high"]);
  });

  test("roster changes go out with who is in the team now", async () => {
    await using receiver = startReceiver();
    await using s = await start();
    await added(s, "team", { format: "json", url: receiver.url, events: ["roster-changed"] });
    await s.app.rooms.commitDecided("team", (room) => ({
      kind: "settings",
      settings: { ...room.settings, roster: { members: [{ name: "alice", away: false, role: null }, { name: "bob", away: true, role: "navigator" }] } },
      cause: { type: "roster", action: "away", user: "bob" },
    }));
    const body = JSON.parse((await receiver.waitFor(1))[0]!.body);
    expect(body.event).toBe("roster-changed");
    expect(body.text).toBe("👥 Roster away: bob — now alice, bob (away)");
    expect(body.details.members).toEqual([{ name: "alice", away: false, role: null }, { name: "bob", away: true, role: "navigator" }]);
  });

  test("a 503 is tried again after the backoff, and the delivery arrives once", async () => {
    await using receiver = startReceiver();
    const lines: string[] = [];
    await using s = await start({}, lines);
    await added(s, "team", { format: "json", url: receiver.url });
    receiver.answers.push(503);
    await s.put("/team", { timer: 10, user: "alice" });
    const [first, second] = await receiver.waitFor(2);
    expect(second!.body).toBe(first!.body);
    // A later change's delivery comes after any third try of the first.
    await s.put("/team/goal", { goal: "marker", user: "alice" });
    expect(JSON.parse((await receiver.waitFor(3))[2]!.body).event).toBe("goal-set");
    expect(receiver.received.filter((r) => r.body === first!.body)).toHaveLength(2);
    expect(receiver.received).toHaveLength(3);
    expect((await hooksOf(s, "team"))[0]).toMatchObject({ paused: false, failures: 0 });
    expect(lines.filter((l) => l.includes("webhook failed"))).toEqual([]);
  });

  test("a 4xx is not tried again", async () => {
    await using receiver = startReceiver();
    await using s = await start({ webhookPauseAfter: 3 });
    await added(s, "team", { format: "json", url: receiver.url });
    receiver.answers.push(404);
    await s.put("/team", { timer: 10, user: "alice" });
    await eventually(async () => (await hooksOf(s, "team"))[0]!.failures === 1);
    expect(receiver.received).toHaveLength(1);
    expect((await hooksOf(s, "team"))[0]).toMatchObject({ paused: false, lastError: "answered 404" });
  });

  test("a delivery gives up after the stated tries with one log line, and a hook failing again and again is paused until resumed", async () => {
    await using receiver = startReceiver();
    const lines: string[] = [];
    await using s = await start({ webhookAttempts: 3, webhookPauseAfter: 2 }, lines);
    const { hook } = await added(s, "team", { format: "json", url: receiver.url });
    receiver.answers.push(...Array(6).fill(503));
    await using events = await EventReader.open(`${s.url}/team/events`);
    await s.put("/team", { timer: 10, user: "alice" });
    await receiver.waitFor(3);
    await eventually(async () => (await hooksOf(s, "team"))[0]!.failures === 1);
    expect((await hooksOf(s, "team"))[0]).toMatchObject({ paused: false, lastError: "answered 503" });
    const failed = lines.filter((l) => l.includes("webhook failed"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('"attempts":3');
    expect(failed[0]).not.toContain(receiver.url);

    await s.put("/team", { timer: 10, user: "bob" });
    await receiver.waitFor(6);
    await eventually(async () => (await hooksOf(s, "team"))[0]!.paused);
    // The page hears of the pause on the room's stream.
    for (;;) {
      const update = JSON.parse((await events.next("HOOKS_UPDATE")).data);
      if (update.hooks[0].paused) break;
    }
    await s.put("/team", { timer: 10, user: "carol" });
    await markerDelivered(s, "team");
    expect(receiver.received).toHaveLength(6);

    const resumed = await fetch(`${s.url}/api/rooms/team/hooks/${hook.id}/resume`, { method: "POST" });
    expect(resumed.status).toBe(200);
    expect((await resumed.json()).hooks[0]).toMatchObject({ paused: false, failures: 0, lastError: null });
    await s.put("/team", { timer: 10, user: "dave" });
    expect(JSON.parse((await receiver.waitFor(7))[6]!.body).details.entry.user).toBe("dave");
  });

  test("a receiver that never answers slows no PUT, and stopping the server ends its call", async () => {
    await using receiver = startReceiver();
    receiver.hang = true;
    const s = await start({ webhookTimeoutMs: 60_000 });
    await added(s, "team", { format: "json", url: receiver.url });
    expect((await s.put("/team", { timer: 10, user: "alice" })).status).toBe(202);
    expect((await s.put("/team", { timer: 5, user: "bob" })).status).toBe(202);
    await receiver.waitFor(2);
    expect(receiver.received.some((r) => r.gone())).toBe(false);
    await s.close();
    await eventually(() => receiver.received.every((r) => r.gone()));
  });

  test("stopping drops a delivery waiting for its retry: nothing is sent after the stop", async () => {
    await using receiver = startReceiver();
    const s = await start({ webhookBackoffMs: 100 });
    await added(s, "team", { format: "json", url: receiver.url });
    receiver.answers.push(503);
    await s.put("/team", { timer: 10, user: "alice" });
    await receiver.waitFor(1);
    // A server that keeps running, its delivery refused the same way just after: its retry
    // arrives once the stopped server's would have been due.
    await using control = startReceiver();
    await using running = await start({ webhookBackoffMs: 100 });
    await added(running, "team", { format: "json", url: control.url });
    control.answers.push(503);
    // The 503 is read and the retry scheduled, 100 ms on.
    await Bun.sleep(40);
    await s.close();
    await running.put("/team", { timer: 10, user: "alice" });
    await control.waitFor(2);
    expect(receiver.received).toHaveLength(1);
  });

  test("hooks, and their pause, outlast a restart on the same data directory", async () => {
    await using receiver = startReceiver();
    const dir = dataDir();
    const open = async () => startServer({ ...DELIVERING, webhookAttempts: 1, webhookPauseAfter: 1 }, { store: await SqliteStore.open(dir, systemClock) });
    {
      await using first = await open();
      await added(first, "team", { format: "json", url: `${receiver.url}/a`, events: ["goal-set"] });
      await added(first, "team", { format: "json", url: `${receiver.url}/b` });
      receiver.answers.push(503);
      await first.put("/team", { timer: 10, user: "alice" });
      await eventually(async () => (await hooksOf(first, "team"))[1]!.paused);
    }
    await using second = await open();
    expect((await hooksOf(second, "team")).map((h) => h.paused)).toEqual([false, true]);
    await second.put("/team/goal", { goal: "ship it", user: "bob" });
    await receiver.waitFor(2);
    await markerDelivered(second, "elsewhere");
    expect(receiver.received.map((r) => r.path)).toEqual(["/b", "/a"]);
  });

  test("a room sending more than its rate drops the rest with a log line, and its tests too", async () => {
    await using receiver = startReceiver();
    const lines: string[] = [];
    await using s = await start({ webhooksPerRoomPerMinute: 2 }, lines);
    await added(s, "team", { format: "json", url: receiver.url });
    for (const user of ["a", "b", "c"]) await s.put("/team", { timer: 10, user });
    await receiver.waitFor(2);
    await eventually(() => lines.some((l) => l.includes("webhook dropped")));
    const { hooks } = await (await fetch(`${s.url}/api/rooms/team/hooks`)).json();
    const tried = await fetch(`${s.url}/api/rooms/team/hooks/${hooks[0].id}/test`, { method: "POST" });
    expect(await tried.json()).toEqual({ delivered: false, error: "the room sends more than 2 a minute" });
    // The room may send nothing more: the marker goes out from another room.
    await markerDelivered(s, "elsewhere");
    expect(receiver.received).toHaveLength(2);
  });

  test("send a test answers whether the hook works, and counts nothing against it", async () => {
    await using receiver = startReceiver();
    await using s = await start();
    const { hook } = await added(s, "team", { format: "ntfy", url: receiver.url });
    const ok = await fetch(`${s.url}/api/rooms/team/hooks/${hook.id}/test`, { method: "POST" });
    expect(await ok.json()).toEqual({ delivered: true, status: 200 });
    expect((await receiver.waitFor(1))[0]!.body).toBe("👋 This hook works: #team will tell you here when time is up");
    receiver.answers.push(500);
    const failed = await fetch(`${s.url}/api/rooms/team/hooks/${hook.id}/test`, { method: "POST" });
    expect(await failed.json()).toEqual({ delivered: false, error: "answered 500" });
    expect((await hooksOf(s, "team"))[0]!.failures).toBe(0);
  });
});

describe("refused targets", () => {
  const REFUSED = ["http://127.0.0.1:9/", "http://localhost:9/", "http://[::1]:9/", "http://10.1.2.3/", "http://169.254.169.254/latest", "http://[fd00::1]/", "http://[::ffff:192.168.1.1]/"];

  test("loopback, private, link-local and unique-local targets are refused when saved, without the operator's setting", async () => {
    await using s = await startServer();
    for (const url of REFUSED) {
      const res = await addHookOver(s, "team", { format: "json", url });
      expect(res.status, url).toBe(400);
      expect((await res.json()).error, url).toContain("private, loopback or link-local");
    }
    expect(await hooksOf(s, "team")).toEqual([]);
    expect(await s.app.rooms.has("team")).toBe(false);
  });

  test("a name that resolves to loopback by the time of sending is refused then, before any call", async () => {
    const lines: string[] = [];
    // The name's answer as a resolver under an attacker's control would give it.
    let answer = "93.184.216.34";
    await using s = await startServer({}, { logger: collecting(lines), resolve: async () => [answer] });
    expect((await addHookOver(s, "team", { format: "json", url: "http://rebinding.example/in" })).status).toBe(201);
    answer = "127.0.0.1";
    await s.put("/team", { timer: 10, user: "alice" });
    await eventually(() => lines.some((l) => l.includes("webhook failed")));
    expect(lines.find((l) => l.includes("webhook failed"))).toContain("the host rebinding.example is a private, loopback or link-local address");
    expect((await hooksOf(s, "team"))[0]!.lastError).toContain("private, loopback or link-local");
  });

  test("only http and https, no credentials in the URL, and only the allowed hosts when the operator names some", async () => {
    await using s = await startServer({ webhookAllowedHosts: "hooks.slack.com,*.example.org", webhookAllowPrivate: true });
    const cases: [string, string][] = [
      ["ftp://hooks.slack.com/x", "only http and https"],
      ["file:///etc/passwd", "only http and https"],
      ["https://user:pw@hooks.slack.com/x", "no user name or password"],
      ["https://evil.example.com/x", "only to hooks.slack.com, *.example.org"],
      ["https://example.org.evil.com/x", "only to hooks.slack.com, *.example.org"],
    ];
    for (const [url, error] of cases) {
      const res = await addHookOver(s, "team", { format: "slack", url });
      expect(res.status, url).toBe(400);
      expect((await res.json()).error, url).toContain(error);
    }
    expect((await addHookOver(s, "team", { format: "slack", url: "https://hooks.example.org/x" })).status).toBe(201);
  });
});

describe("the hooks API", () => {
  test("the list masks URLs and secrets; nothing answered after the add shows them whole", async () => {
    await using receiver = startReceiver();
    await using s = await start();
    const { secret } = await added(s, "team", { format: "json", url: `${receiver.url}/services/T0/B0/tokentoken` });
    await added(s, "team", { format: "slack", url: `${receiver.url}/hooks/abcdefgh` });
    const res = await fetch(`${s.url}/api/rooms/team/hooks`);
    const text = await res.text();
    expect(text).not.toContain(secret!);
    expect(text).not.toContain("tokentoken");
    expect(text).not.toContain("abcdefgh");
    const { hooks } = JSON.parse(text);
    expect(hooks.map((h: { url: string }) => h.url)).toEqual([`${receiver.url}/…oken`, `${receiver.url}/…efgh`]);
    expect(hooks.map((h: { secret: string | null }) => h.secret)).toEqual([`…${secret!.slice(-4)}`, null]);
    expect(hooks[0]).toMatchObject({ format: "json", events: [...HOOK_EVENTS], paused: false, failures: 0, lastError: null });
  });

  test("a hook is removed, and a hook that is not there is 404", async () => {
    await using receiver = startReceiver();
    await using s = await start();
    const { hook } = await added(s, "team", { format: "json", url: receiver.url });
    const removed = await fetch(`${s.url}/api/rooms/team/hooks/${hook.id}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ hooks: [] });
    for (const [method, path] of [["DELETE", hook.id], ["POST", `${hook.id}/resume`], ["POST", `${hook.id}/test`], ["DELETE", "not-an-id"]] as const) {
      const res = await fetch(`${s.url}/api/rooms/team/hooks/${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toEqual({ error: "the room has no hook of that id" });
    }
    await s.put("/team", { timer: 10, user: "alice" });
    await markerDelivered(s, "team");
    expect(receiver.received).toEqual([]);
  });

  test("bad bodies get 400 and change nothing", async () => {
    await using s = await start({ webhooksPerRoom: 1 });
    const bad: [unknown, string][] = [
      ["not json", "not valid JSON"],
      [{ url: "https://x.example/" }, '"format" must be one of'],
      [{ format: "irc", url: "https://x.example/" }, '"format" must be one of'],
      [{ format: "json" }, '"url"'],
      [{ format: "json", url: "not a url" }, "not a valid URL"],
      [{ format: "json", url: "http://127.0.0.1/", events: [] }, '"events"'],
      [{ format: "json", url: "http://127.0.0.1/", events: ["lunch"] }, '"events"'],
      [{ format: "json", url: "http://127.0.0.1/", secret: "short" }, '"secret"'],
      [{ format: "slack", url: "http://127.0.0.1/", secret: "a-long-enough-secret" }, 'only "json" hooks are signed'],
    ];
    for (const [body, error] of bad) {
      const res = await fetch(`${s.url}/api/rooms/team/hooks`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toContain(error);
    }
    expect(await s.app.rooms.has("team")).toBe(false);
    await added(s, "team", { format: "json", url: "http://127.0.0.1/" });
    const over = await addHookOver(s, "team", { format: "json", url: "http://127.0.0.1/" });
    expect(over.status).toBe(400);
    expect((await over.json()).error).toBe("the room has its maximum of 1 hooks; remove one first");
    expect(await hooksOf(s, "team")).toHaveLength(1);
  });

  test("another site's page cannot add a hook", async () => {
    await using s = await start();
    const res = await fetch(`${s.url}/api/rooms/team/hooks`, { method: "POST", headers: { Origin: "https://evil.example" }, body: JSON.stringify({ format: "json", url: "http://127.0.0.1/" }) });
    expect(res.status).toBe(403);
    expect(await hooksOf(s, "team")).toEqual([]);
  });

  test("a claimed public room shows its hooks' hosts and last errors only to its team; others see their kinds and events", async () => {
    await using s = await start();
    const claimed = await fetch(`${s.url}/api/rooms/ours/owner`, { method: "POST" });
    const { key } = (await claimed.json()) as { key: string };
    await using viewer = await EventReader.open(`${s.url}/ours/events`);
    await viewer.replay();
    const res = await fetch(`${s.url}/api/rooms/ours/hooks`, { method: "POST", headers: { "X-Room-Key": key }, body: JSON.stringify({ format: "slack", url: "https://hooks.slack.com/services/T0/B0/secret", events: ["time-up"] }) });
    expect(res.status).toBe(201);
    const { hook } = (await res.json()) as { hook: { id: string } };
    const summary = [{ id: hook.id, format: "slack", events: ["time-up"], paused: false }];
    expect(await hooksOf(s, "ours")).toEqual(summary as never);
    const update = await viewer.next("HOOKS_UPDATE");
    expect(JSON.parse(update.data)).toEqual({ hooks: summary });
    expect(update.data).not.toContain("hooks.slack.com");
    const member = await fetch(`${s.url}/api/rooms/ours/hooks`, { headers: { "X-Room-Key": key } });
    expect((await member.json()).hooks).toEqual([{ ...summary[0], url: "https://hooks.slack.com/…cret", secret: null, failures: 0, lastError: null }]);
    // A room nobody claimed has only members: everyone sees it all, as before.
    await added(s, "open", { format: "slack", url: "https://hooks.slack.com/services/T0/B0/other" });
    expect((await hooksOf(s, "open"))[0]).toMatchObject({ url: "https://hooks.slack.com/…ther", lastError: null });
  });

  test("listeners hear of hook changes as HOOKS_UPDATE, secrets masked, and of nothing else new", async () => {
    await using s = await start();
    await using events = await EventReader.open(`${s.url}/team/events`);
    await events.replay();
    const { secret } = await added(s, "team", { format: "json", url: "http://127.0.0.1/secret-path" });
    const update = await events.next();
    expect(update.event).toBe("HOOKS_UPDATE");
    expect(update.data).not.toContain(secret!);
    expect(update.data).not.toContain("secret-path");
    expect(JSON.parse(update.data).hooks).toHaveLength(1);
    await s.put("/team", { timer: 10, user: "alice" });
    expect((await events.next()).event).toBe("TIMER_REQUEST");
  });
});
