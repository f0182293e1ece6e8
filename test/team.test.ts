// A team's room, in-process but for sockets: the roster learned and edited through the JSON API, who
// is next by it, the events listeners get (TEAM_UPDATE, the extra opening event), the CLI's
// line, and rooms that never opted in staying exactly as PROTOCOL.md says.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { EventReader, ManualClock, inProcess, startServer, type Answering } from "./helpers.ts";
import { Client, wsUrl } from "./ws-client.ts";

const MINUTE = 60_000;

function post(s: Answering, room: string, body: unknown): Promise<Response> {
  return s.fetch(`/api/rooms/${room}/roster`, { method: "POST", body: JSON.stringify(body) });
}

function cadence(s: Answering, room: string, body: unknown): Promise<Response> {
  return s.fetch(`/api/rooms/${room}/cadence`, { method: "PUT", body: JSON.stringify(body) });
}

async function team(s: Answering, room: string) {
  return (await (await s.fetch(`/api/rooms/${room}`)).json()).team;
}

async function names(s: Answering, room: string): Promise<string[]> {
  return (await team(s, room)).roster.members.map((m: { name: string; away: boolean }) => (m.away ? `${m.name}!` : m.name));
}

async function nextUserOf(s: Answering, room: string, user: string): Promise<string | null> {
  const answer = await s.put(`/${room}`, { timer: 10, user });
  expect(answer.status).toBe(202);
  const state = await (await s.fetch(`/api/rooms/${room}`)).json();
  return state.current.nextUser;
}

describe("the roster", () => {
  test("starts from the history's users when first edited, and the edit is added to it", async () => {
    await using s = await inProcess();
    for (const user of ["alice", "bob", "carol", "alice"]) await s.put("/r", { timer: 10, user });
    const answer = await post(s, "r", { action: "add", name: "dave", role: "typist", user: "alice" });
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.team.roster.members).toEqual([
      { name: "bob", away: false, role: null },
      { name: "carol", away: false, role: null },
      { name: "alice", away: false, role: null },
      { name: "dave", away: false, role: "typist" },
    ]);
  });

  test("decides who is next: the next present member after the timer's user, in roster order", async () => {
    await using s = await inProcess();
    for (const name of ["alice", "bob", "carol"]) await post(s, "r", { action: "add", name });
    expect(await nextUserOf(s, "r", "alice")).toBe("bob");
    await post(s, "r", { action: "away", name: "bob" });
    expect(await nextUserOf(s, "r", "alice")).toBe("carol");
    await post(s, "r", { action: "move", name: "carol", to: 0 });
    expect(await nextUserOf(s, "r", "bob")).toBe("carol");
    await post(s, "r", { action: "back", name: "bob" });
    expect(await nextUserOf(s, "r", "alice")).toBe("bob");
    expect(await nextUserOf(s, "r", "carol")).toBe("alice");
  });

  test("a user who starts a timer and is not on it joins at its end, after the timer", async () => {
    await using s = await inProcess();
    await post(s, "r", { action: "add", name: "alice" });
    await using events = await EventReader.open("/r/events", {}, s.fetch);
    await events.replay();
    await events.next("TEAM_UPDATE");
    expect(await nextUserOf(s, "r", "zoe")).toBe("alice");
    const timer = await events.next();
    const joined = await events.next();
    expect([timer.event, joined.event, Number(joined.id)]).toEqual(["TIMER_REQUEST", "TEAM_UPDATE", Number(timer.id) + 1]);
    expect(JSON.parse(joined.data).cause).toEqual({ type: "roster", action: "join", user: "zoe" });
    expect(await names(s, "r")).toEqual(["alice", "zoe"]);
    // Blank names and breaks join nobody.
    await s.put("/r", { timer: 10, user: "" });
    await s.put("/r", { breaktimer: 5, user: "bert" });
    expect(await names(s, "r")).toEqual(["alice", "zoe"]);
  });

  test("shuffle once reorders the members and keeps them all", async () => {
    await using s = await inProcess({}, { random: () => 0 });
    for (const name of ["a", "b", "c", "d"]) await post(s, "r", { action: "add", name });
    expect((await post(s, "r", { action: "shuffle" })).status).toBe(200);
    const shuffled = await names(s, "r");
    expect([...shuffled].sort()).toEqual(["a", "b", "c", "d"]);
    expect(shuffled).not.toEqual(["a", "b", "c", "d"]);
  });

  test("roles are set and cleared, members removed, and the roster dropped gives PROTOCOL.md's rotation back", async () => {
    await using s = await inProcess();
    for (const name of ["alice", "bob"]) await post(s, "r", { action: "add", name });
    await post(s, "r", { action: "role", name: "bob", role: "navigator" });
    expect((await team(s, "r")).roster.members[1]).toEqual({ name: "bob", away: false, role: "navigator" });
    await post(s, "r", { action: "role", name: "bob", role: "" });
    await post(s, "r", { action: "remove", name: "alice" });
    expect((await team(s, "r")).roster.members).toEqual([{ name: "bob", away: false, role: null }]);
    await s.put("/r", { timer: 10, user: "carol" });
    const dropped = await s.fetch("/api/rooms/r/roster", { method: "DELETE", body: JSON.stringify({ user: "bob" }) });
    expect(dropped.status).toBe(200);
    expect((await dropped.json()).team).toBeUndefined();
    // carol then bob by PROTOCOL.md: the only earlier TIMER user is carol.
    expect(await nextUserOf(s, "r", "bob")).toBe("carol");
  });

  test.each([
    ["no action", {}, '"action" must be one of'],
    ["an unknown action", { action: "kick", name: "alice" }, '"action" must be one of'],
    ["a name that is not a string", { action: "add", name: 7 }, '"name" must be a string'],
    ["a blank name", { action: "add", name: " " }, '"name" is empty'],
    ["a name too long", { action: "add", name: "x".repeat(257) }, "longer than 256"],
    ["a role too long", { action: "add", name: "dave", role: "x".repeat(41) }, "longer than 40"],
    ["a member twice", { action: "add", name: "alice" }, "on the roster already"],
    ["someone not on it", { action: "away", name: "dave" }, "not on the roster"],
    ["a move without a position", { action: "move", name: "alice" }, '"to" must be a whole number'],
    ["a move beyond the end", { action: "move", name: "alice", to: 5 }, "from 0 to 0"],
    ["a user too long", { action: "shuffle", user: "x".repeat(257) }, '"user" is longer'],
  ])("%s gets 400 and changes nothing", async (_, body, message) => {
    await using s = await inProcess();
    await post(s, "r", { action: "add", name: "alice" });
    const before = await (await s.fetch("/api/rooms/r")).json();
    const answer = await post(s, "r", body);
    expect(answer.status).toBe(400);
    expect((await answer.json()).error).toContain(message);
    expect(await (await s.fetch("/api/rooms/r")).json()).toEqual(before);
  });

  test("a full roster refuses one more member", async () => {
    await using s = await inProcess({ writesPerMinute: 1000 });
    for (let i = 0; i < 50; i++) expect((await post(s, "r", { action: "add", name: `m${i}` })).status).toBe(200);
    const answer = await post(s, "r", { action: "add", name: "m50" });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error).toContain("at most 50");
  });
});

describe("the cadence", () => {
  test("is set, shown with the work since the latest break, and turned off", async () => {
    const clock = new ManualClock();
    await using s = await inProcess({}, { clock });
    await s.put("/r", { timer: 10, user: "alice" });
    clock.advance(10 * MINUTE);
    await s.put("/r", { timer: 10, user: "bob" });
    clock.advance(4 * MINUTE);
    expect((await cadence(s, "r", { turns: 3, minutes: 60, user: "alice" })).status).toBe(200);
    expect(await team(s, "r")).toEqual({ roster: null, cadence: { turns: 3, minutes: 60 }, next: "alice", work: { turns: 2, minutes: 14 }, breakDue: false });
    await cadence(s, "r", { turns: 2 });
    expect((await team(s, "r")).breakDue).toBe(true);
    const off = await cadence(s, "r", { turns: null, minutes: null });
    expect((await off.json()).team).toBeUndefined();
  });

  test.each([
    [{ turns: 0 }, '"turns" must be null or a whole number from 1 to 100'],
    [{ turns: 101 }, '"turns" must be null or a whole number from 1 to 100'],
    [{ minutes: 1441 }, '"minutes" must be null or a whole number from 1 to 1440'],
    [{ minutes: 1.5 }, '"minutes" must be a whole number or null'],
    [{ turns: "4" }, '"turns" must be a whole number or null'],
    ["[]", "body must be a JSON object"],
  ])("%p gets 400 and changes nothing", async (body, message) => {
    await using s = await inProcess();
    const answer = await s.fetch("/api/rooms/r/cadence", { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error).toBe(message);
    expect((await s.fetch("/api/rooms/r")).status).toBe(200);
    expect((await (await s.fetch("/api/rooms/r")).json()).seq).toBe(0);
  });
});

describe("listeners of a team's room", () => {
  test("get TEAM_UPDATE with every edit, and once after the three opening events", async () => {
    await using s = await inProcess();
    await s.put("/r", { timer: 10, user: "alice" });
    await using live = await EventReader.open("/r/events", {}, s.fetch);
    await live.replay();
    await post(s, "r", { action: "add", name: "bob", user: "alice" });
    const update = await live.next();
    expect(update.event).toBe("TEAM_UPDATE");
    expect(update.id).toBe("2");
    expect(JSON.parse(update.data)).toEqual({
      roster: { members: [{ name: "alice", away: false, role: null }, { name: "bob", away: false, role: null }] },
      cadence: null,
      cause: { type: "roster", action: "add", user: "alice" },
    });
    await cadence(s, "r", { minutes: 90, user: "bob" });
    expect(JSON.parse((await live.next("TEAM_UPDATE")).data).cause).toEqual({ type: "cadence", user: "bob" });

    await using late = await EventReader.open("/r/events", {}, s.fetch);
    const replay = await late.replay();
    expect(replay.timer.user).toBe("alice");
    const opening = await late.next();
    expect(opening.event).toBe("TEAM_UPDATE");
    expect(opening.id).toBeUndefined();
    expect(JSON.parse(opening.data)).toEqual({ roster: JSON.parse(update.data).roster, cadence: { turns: null, minutes: 90 }, cause: null });
  });

  test("sockets get the same opening event and live events", async () => {
    await using s = await startServer();
    await post(s, "r", { action: "add", name: "alice" });
    await using c = await Client.open(wsUrl(s, "/r/ws"));
    const opening = await c.opening();
    expect(opening.map((m) => m.event)).toEqual(["INITIAL_HISTORY", "TIMER_REQUEST", "GOAL_REQUEST"]);
    expect(await c.next()).toMatchObject({ event: "TEAM_UPDATE", data: { roster: { members: [{ name: "alice" }] }, cause: null } });
    await post(s, "r", { action: "away", name: "alice" });
    expect(await c.next()).toMatchObject({ event: "TEAM_UPDATE", id: 2, data: { roster: { members: [{ name: "alice", away: true }] } } });
  });

  test("a room that never opted in sends exactly PROTOCOL.md's three opening events and no team field", async () => {
    await using s = await inProcess();
    await s.put("/plain", { timer: 10, user: "alice" });
    const res = await s.fetch("/plain/events");
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    const text = new TextDecoder().decode(value);
    expect(text.match(/^event:/gm)).toEqual(["event:", "event:", "event:"]);
    expect(text).not.toContain("TEAM_UPDATE");
    expect(await (await s.fetch("/api/rooms/plain")).json()).not.toHaveProperty("team");
  });
});

describe("the mob CLI's line", () => {
  test("a room that never opted in answers PUT with 202 and an empty body, as the original", async () => {
    await using s = await inProcess();
    for (const body of [{ timer: 10, user: "alice" }, { breaktimer: 5, user: "alice" }]) {
      const answer = await s.put("/plain", body);
      expect(answer.status).toBe(202);
      expect(await answer.text()).toBe("");
      expect(answer.headers.get("content-type")).toBeNull();
    }
    const goal = await s.put("/plain/goal", { goal: "ship it", user: "alice" });
    expect(await goal.text()).toBe("");
  });

  test("a team's room answers with one plain line: minutes, user, end, who is next, a break due, the room's link", async () => {
    const clock = new ManualClock(Date.parse("2026-11-21T10:32:00.000Z"));
    await using s = await inProcess({ publicUrl: "https://timer.example.com" }, { clock });
    for (const name of ["alice", "bob"]) await post(s, "r", { action: "add", name });
    await cadence(s, "r", { turns: 2 });
    const first = await s.put("/r", { timer: 10, user: "alice" });
    expect(first.status).toBe(202);
    expect(first.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await first.text()).toBe("10 min for alice, until 10:42 UTC · next: bob · https://timer.example.com/r\n");
    clock.advance(10 * MINUTE);
    expect(await (await s.put("/r", { timer: 10, user: "bob" })).text()).toBe(
      "10 min for bob, until 10:52 UTC · next: alice · break due after this turn · https://timer.example.com/r\n",
    );
    expect(await (await s.put("/r", { breaktimer: 5, user: "bob" })).text()).toBe("5 min break, until 10:47 UTC · next: alice · https://timer.example.com/r\n");
    expect(await (await s.put("/r", { timer: 0, user: "bob" })).text()).toBe("timer stopped by bob · next: alice · https://timer.example.com/r\n");
    expect(await (await s.put("/r/goal", { goal: "ship it", user: "bob" })).text()).toBe("goal: ship it · https://timer.example.com/r\n");
  });

  test("names from other people cannot put control characters into a terminal", async () => {
    await using s = await inProcess({ publicUrl: "https://timer.example.com" });
    await post(s, "r", { action: "add", name: "alice" });
    await post(s, "r", { action: "add", name: "bob\u001b]0;owned\u0007\nrm -rf" });
    const line = await (await s.put("/r", { timer: 10, user: "alice" })).text();
    expect(line).toEndWith(" · next: bob ]0;owned  rm -rf · https://timer.example.com/r\n");
    expect(line.slice(0, -1)).not.toMatch(/[\u0000-\u001f]/);
  });

  test("the line reaches the CLI's terminal as the CLI prints it: '> ' and the trimmed line", async () => {
    // httpclient.SendRequest in remotemobprogramming/mob: a status of 300 or more fails,
    // otherwise a non-empty body goes to say.Info, which prints each trimmed line after "> ".
    await using s = await inProcess({ publicUrl: "https://timer.example.com" });
    await cadence(s, "r", { minutes: 60 });
    const answer = await s.fetch("/r", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ timer: 10, user: "alice" }) });
    const body = await answer.text();
    const printed = answer.status >= 300 ? null : body.trim().split("\n").map((line) => `> ${line.trim()}`);
    expect(printed).toEqual([expect.stringMatching(/^> 10 min for alice, until \d\d:\d\d UTC · https:\/\/timer\.example\.com\/r$/)]);
  });
});

test("the roster and cadence are stored: a restart on the same data keeps them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-team-"));
  try {
    const clock = new ManualClock();
    {
      await using s = await inProcess({}, { clock, store: await SqliteStore.open(dir, clock) });
      await post(s, "r", { action: "add", name: "alice", role: "typist" });
      await cadence(s, "r", { turns: 4 });
    }
    await using again = await inProcess({}, { clock, store: await SqliteStore.open(dir, clock) });
    expect(await team(again, "r")).toMatchObject({ roster: { members: [{ name: "alice", away: false, role: "typist" }] }, cadence: { turns: 4, minutes: null } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
