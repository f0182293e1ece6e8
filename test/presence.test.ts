// Who is here, in-process with a clock moved by hand: the names listeners give (`?user=`),
// kept 30 s after their last connection ends, told to a team room's listeners as
// HERE_UPDATE and in the JSON API's `here`; nothing of it in a room that did not opt in.
// A socket's resume, the wire's point, over a real port.
import { expect, test } from "bun:test";
import { LINGER_MS } from "../lib/domain/presence.ts";
import { EventReader, eventually, inProcess, startServer, type InProcessApp } from "./helpers.ts";
import { Client, wsUrl } from "./ws-client.ts";

/** Heartbeats every 100 ms, so that a name's linger is checked every 10 ms of real time. */
const FAST = { hereMs: 100 };

async function teamRoom(s: InProcessApp, room: string, ...names: string[]): Promise<void> {
  for (const name of names) {
    const added = await s.fetch(`/api/rooms/${room}/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
    expect(added.status).toBe(200);
  }
}

async function hereOf(s: InProcessApp, room: string): Promise<unknown> {
  return ((await (await s.fetch(`/api/rooms/${room}`)).json()) as { here?: unknown }).here;
}

/** Reads HERE_UPDATEs on `events` until one says `names`. */
async function hereBecomes(events: EventReader, names: string[]): Promise<void> {
  while (JSON.stringify(await nextHere(events)) !== JSON.stringify(names));
}

/** The data of the next HERE_UPDATE on `events`. */
async function nextHere(events: EventReader): Promise<string[]> {
  const event = await events.next("HERE_UPDATE");
  expect(event.id).toBeUndefined();
  return (JSON.parse(event.data) as { here: string[] }).here;
}

test("a team room's listeners hear who is here; a name stays 30 s after its last connection, through a reload", async () => {
  await using s = await inProcess(FAST);
  await teamRoom(s, "mob", "alice", "bob");
  await using watcher = await EventReader.open("/mob/events", {}, s.fetch);
  await watcher.next("TEAM_UPDATE");
  const alice = await EventReader.open("/mob/events?user=alice", {}, s.fetch);
  expect(await nextHere(watcher)).toEqual(["alice"]);
  expect(await hereOf(s, "mob")).toEqual(["alice"]);
  // A second listener of alice's (another tab) changes nothing; bob's does.
  await using aliceAgain = await EventReader.open("/mob/events?user=alice", {}, s.fetch);
  await using bob = await EventReader.open("/mob/events?user=bob", {}, s.fetch);
  expect(await nextHere(watcher)).toEqual(["alice", "bob"]);
  // A new listener's opening says who is here, as last told, after the team; then that it came too.
  const opening = bob.received.slice(0, 5).map((e) => e.event);
  expect(opening).toEqual(["INITIAL_HISTORY", "TIMER_REQUEST", "GOAL_REQUEST", "TEAM_UPDATE", "HERE_UPDATE"]);
  expect(await nextHere(bob)).toEqual(["alice"]);
  expect(await nextHere(bob)).toEqual(["alice", "bob"]);

  await alice[Symbol.asyncDispose]();
  await aliceAgain[Symbol.asyncDispose]();
  s.clock.advance(LINGER_MS - 1000);
  // A reload within the linger: alice never left.
  await using reloaded = await EventReader.open("/mob/events?user=alice", {}, s.fetch);
  await reloaded.next("HERE_UPDATE");
  await reloaded[Symbol.asyncDispose]();
  s.clock.advance(LINGER_MS - 1);
  // Read after the next heartbeat (the clock jumped past the reports' time): alice is still here.
  await eventually(async () => JSON.stringify(await hereOf(s, "mob")) === '["alice","bob"]');
  s.clock.advance(1);
  expect(await nextHere(watcher)).toEqual(["bob"]);
  expect(watcher.received.filter((e) => e.event === "HERE_UPDATE").map((e) => JSON.parse(e.data).here)).toEqual([["alice"], ["alice", "bob"], ["bob"]]);
});

test("a room that never opted in gets no HERE_UPDATE and no here, whoever says who they are", async () => {
  await using s = await inProcess(FAST);
  await using alice = await EventReader.open("/plain/events?user=alice", {}, s.fetch);
  await s.put("/plain", { timer: 10, user: "alice" });
  await alice.next("TIMER_REQUEST");
  await alice.next("TIMER_REQUEST");
  const state = (await (await s.fetch("/api/rooms/plain?user=alice")).json()) as Record<string, unknown>;
  expect(Object.keys(state).sort()).toEqual(["current", "goal", "history", "room", "seq"]);
  expect(alice.received.map((e) => e.event)).toEqual(["INITIAL_HISTORY", "TIMER_REQUEST", "GOAL_REQUEST", "TIMER_REQUEST"]);
});

test("a room that opts in while people listen counts them in; one that opts out forgets them", async () => {
  await using s = await inProcess(FAST);
  await using alice = await EventReader.open("/later/events?user=alice", {}, s.fetch);
  await alice.next("GOAL_REQUEST");
  await teamRoom(s, "later", "bob");
  await alice.next("TEAM_UPDATE");
  expect(await nextHere(alice)).toEqual(["alice"]);
  expect(await hereOf(s, "later")).toEqual(["alice"]);
  expect((await s.fetch("/api/rooms/later/roster", { method: "DELETE" })).status).toBe(200);
  expect(await hereOf(s, "later")).toBeUndefined();
});

test("a long-poll client that says who it is is here between its polls, and a held poll ends when who is here changes", async () => {
  await using s = await inProcess(FAST);
  await teamRoom(s, "poll", "alice", "bob", "carol");
  const { seq } = (await (await s.fetch("/api/rooms/poll?user=alice")).json()) as { seq: number };
  await using bob = await EventReader.open("/poll/events?user=bob", {}, s.fetch);
  await hereBecomes(bob, ["alice", "bob"]);
  const held = s.fetch(`/api/rooms/poll?since=${seq}&wait=25&user=alice`);
  await eventually(() => s.app.waits.size === 1);
  await using carol = await EventReader.open("/poll/events?user=carol", {}, s.fetch);
  expect(carol.response.status).toBe(200);
  const answer = await held;
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ seq, here: ["alice", "bob", "carol"] });
  // Between polls alice lingers; a client that stops polling is gone 30 s after its last answer.
  s.clock.advance(LINGER_MS);
  await hereBecomes(bob, ["bob", "carol"]);
});

test("a name given to a stream is checked as a roster's names are: a bad one is refused before any connection", async () => {
  await using s = await inProcess({ ...FAST, maxUserLength: 8 });
  for (const path of ["/r/events", "/api/rooms/r", "/api/rooms/r?since=0&wait=5&x=1"]) {
    const joiner = path.includes("?") ? "&" : "?";
    const long = await s.fetch(`${path}${joiner}user=${"a".repeat(9)}`);
    expect(long.status).toBe(400);
    expect(await long.json()).toEqual({ error: '"user" is longer than 8 characters' });
    const blank = await s.fetch(`${path}${joiner}user=%20`);
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { error: string }).error).toStartWith('"user" is empty');
  }
  expect(s.app.fanout.size).toBe(0);
});

test("with the roster's rule on, the turn passes over a member who is not here and made no change for an hour", async () => {
  await using s = await inProcess(FAST);
  await teamRoom(s, "rule", "alice", "bob", "carol");
  const start = async (user: string) => {
    const answer = await s.fetch("/api/rooms/rule/timer", { method: "POST", body: JSON.stringify({ minutes: 10, user }) });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { current: { nextUser: string | null } }).current.nextUser;
  };
  await using alice = await EventReader.open("/rule/events?user=alice", {}, s.fetch);
  await using carol = await EventReader.open("/rule/events?user=carol", {}, s.fetch);
  await hereBecomes(alice, ["alice", "carol"]);
  // Off by default: bob is next after alice, here or not.
  expect(await start("alice")).toBe("bob");
  const on = await s.fetch("/api/rooms/rule/roster", { method: "POST", body: JSON.stringify({ action: "skip-absent", on: true, user: "alice" }) });
  expect(await on.json()).toMatchObject({ team: { roster: { skipAbsent: true }, next: "carol" }, here: ["alice", "carol"] });
  expect(await start("alice")).toBe("carol");
  // bob sets the goal: a change within the hour, so he is not passed over, here or not.
  await s.put("/rule/goal", { goal: "ship it", user: "bob" });
  expect(await start("alice")).toBe("bob");
  s.clock.advance(61 * 60_000);
  // The clock jumped past every report's heartbeat: the next one renews them.
  await eventually(async () => JSON.stringify(await hereOf(s, "rule")) === '["alice","carol"]');
  expect(await start("alice")).toBe("carol");
  expect(carol.response.status).toBe(200);
  const off = await s.fetch("/api/rooms/rule/roster", { method: "POST", body: JSON.stringify({ action: "skip-absent", on: false }) });
  expect(((await off.json()) as { team: { roster: Record<string, unknown> } }).team.roster).not.toHaveProperty("skipAbsent");
  expect(await start("alice")).toBe("bob");
});

test("the rule's edit takes only true or false", async () => {
  await using s = await inProcess(FAST);
  await teamRoom(s, "bad-rule", "alice");
  const refused = await s.fetch("/api/rooms/bad-rule/roster", { method: "POST", body: JSON.stringify({ action: "skip-absent", on: "yes" }) });
  expect(refused.status).toBe(400);
  expect(await refused.json()).toEqual({ error: '"on" must be true or false' });
});

test("a socket resuming in a team's room gets what it missed, then who is here; one up to date gets who is here alone", async () => {
  await using s = await startServer({ hereMs: 1000 });
  await s.fetch("/api/rooms/sock/roster", { method: "POST", body: JSON.stringify({ action: "add", name: "alice" }) });
  await using alice = await Client.open(wsUrl(s, "/sock/ws?user=alice"));
  await alice.next((m) => m.event === "HERE_UPDATE");
  await s.put("/sock", { timer: 5, user: "alice" });
  await alice.next((m) => m.event === "TIMER_REQUEST");
  await using back = await Client.open(wsUrl(s, "/sock/ws?since=1"));
  expect([await back.next(), await back.next()]).toMatchObject([{ event: "TIMER_REQUEST", id: 2 }, { event: "HERE_UPDATE", data: { here: ["alice"] } }]);
  await using current = await Client.open(wsUrl(s, "/sock/ws?since=2"));
  expect(await current.next()).toEqual({ event: "HERE_UPDATE", data: { here: ["alice"] } });
});
