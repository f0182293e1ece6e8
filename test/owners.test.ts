// Rooms a team owns, as clients see them over HTTP, event streams and WebSockets: claiming
// answers a key once, changes need it (the mob CLI's Basic credentials, or X-Room-Key),
// private rooms need it for reading too, wrong keys are limited, and rooms nobody claimed
// behave as before, whatever a request carries. In-process, but for sockets and the limits
// per address.
import { expect, test } from "bun:test";
import type { LogFields, Logger } from "../lib/base/log.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { CHEAP_KEY_HASHING, EventReader, ManualClock, inProcess, startServer, type Answering } from "./helpers.ts";
import { Client } from "./ws-client.ts";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The request `mob timer 10` sends (Go's net/http, Basic auth taken from MOB_TIMER_URL's userinfo). */
function mobTimer(s: Answering, room: string, password: string | null, minutes = 10): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "Go-http-client/1.1", "Accept-Encoding": "gzip" };
  if (password !== null) headers.Authorization = basic("team-a", password);
  return s.fetch(`/${room}`, { method: "PUT", headers, body: JSON.stringify({ timer: minutes, user: "alice" }) });
}

async function claim(s: Answering, room: string, body = ""): Promise<{ key: string; res: Response; answer: Record<string, unknown> }> {
  const res = await s.fetch(`/api/rooms/${room}/owner`, { method: "POST", body });
  const answer = (await res.json()) as Record<string, unknown>;
  return { key: answer.key as string, res, answer };
}

function recordingLogger(): Logger & { text(): string } {
  const lines: { message: string; fields: LogFields }[] = [];
  return { log: (_level, message, fields = {}) => void lines.push({ message, fields }), flush() {}, text: () => JSON.stringify(lines) };
}

// The first test hashes at the server's own cost; the others at the lowest (CHEAP_KEY_HASHING).
test("claiming answers a long random key once, keeps only its slow hash, and a second claim is refused", async () => {
  await using s = await inProcess();
  const { res, key, answer } = await claim(s, "ours");
  expect(res.status).toBe(201);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("set-cookie")).toBeNull();
  expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(answer).toMatchObject({ room: "ours", claimed: true, private: false });
  const stored = JSON.stringify(s.app.rooms.find("ours")?.settings ?? (await s.app.rooms.load("ours")).settings);
  expect(stored).toContain("$argon2");
  expect(stored).not.toContain(key);

  const again = await s.fetch("/api/rooms/ours/owner", { method: "POST" });
  expect(again.status).toBe(409);
  expect(await again.json()).toEqual({ error: "this room is claimed already; ask its team for the key" });
});

test("two claims at once: one wins, the other is told the room is claimed", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const answers = await Promise.all([1, 2].map(() => s.fetch("/api/rooms/race/owner", { method: "POST" })));
  expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
  const winner = answers.find((r) => r.status === 201)!;
  const { key } = (await winner.json()) as { key: string };
  expect((await mobTimer(s, "race", key)).status).toBe(202);
});

test("the mob CLI's request with the key as its Basic password changes a claimed room; without it, or with a wrong one, 401", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "cli");
  const none = await mobTimer(s, "cli", null);
  expect(none.status).toBe(401);
  expect(((await none.json()) as { error: string }).error).toStartWith("this room is claimed: changing it needs its key");
  const wrong = await mobTimer(s, "cli", "not-the-key");
  expect(wrong.status).toBe(401);
  expect(await wrong.json()).toEqual({ error: "the room key is wrong" });
  expect(wrong.headers.get("www-authenticate")).toBeNull();
  const right = await mobTimer(s, "cli", key);
  expect(right.status).toBe(202);
  expect(await right.text()).toBe("");
  expect((await s.fetch("/api/rooms/cli").then((r) => r.json()) as { current: { user: string } }).current.user).toBe("alice");
});

/** Every way of changing a room, as [method, path, body]. */
const WRITES: [string, string, unknown][] = [
  ["PUT", "/w", { timer: 5, user: "a" }],
  ["PUT", "/w/goal", { goal: "ship", user: "a" }],
  ["DELETE", "/w/goal", { user: "a" }],
  ["POST", "/api/rooms/w/timer", { minutes: 5, user: "a" }],
  ["POST", "/api/rooms/w/break", { minutes: 5, user: "a" }],
  ["PUT", "/api/rooms/w/goal", { goal: "ship", user: "a" }],
  ["DELETE", "/api/rooms/w/goal", { user: "a" }],
  ["PUT", "/api/rooms/w/owner", { private: false }],
  ["POST", "/api/rooms/w/roster", { action: "add", name: "b", user: "a" }],
  ["PUT", "/api/rooms/w/cadence", { turns: 4, user: "a" }],
  ["DELETE", "/api/rooms/w/roster", { user: "a" }],
  // A public address written as one: nothing to look up.
  ["POST", "/api/rooms/w/hooks", { format: "json", url: "https://93.184.216.34/hook" }],
];

test("every way of changing a claimed room needs its key; each works with it in X-Room-Key", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "w");
  for (const [method, path, body] of WRITES) {
    const without = await s.fetch(path, { method, body: JSON.stringify(body) });
    expect(without.status, `${method} ${path}`).toBe(401);
    const withKey = await s.fetch(path, { method, body: JSON.stringify(body), headers: { "X-Room-Key": key } });
    expect(withKey.status, `${method} ${path}`).toBeLessThan(300);
  }
  expect(s.app.rooms.find("w")?.history.length ?? (await s.app.rooms.load("w")).history.length).toBe(3);
});

test("a claimed room that is not private is read by anyone: page, goal, events, JSON, WebSocket", async () => {
  await using s = await startServer({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "open");
  await fetch(`${s.url}/open/goal`, { method: "PUT", headers: { "X-Room-Key": key }, body: '{"goal":"ship"}' });
  expect((await fetch(`${s.url}/open`)).status).toBe(200);
  expect(await (await fetch(`${s.url}/open/goal`)).json()).toEqual({ goal: "ship" });
  expect((await fetch(`${s.url}/api/rooms/open`)).status).toBe(200);
  await using reader = await EventReader.open(`${s.url}/open/events`);
  expect((await reader.replay()).goal.goal).toBe("ship");
  await using socket = await Client.open(`${s.url.replace("http", "ws")}/open/ws`);
  expect((await socket.next((m) => m.event === "GOAL_REQUEST")).data).toMatchObject({ goal: "ship" });
});

test("a socket without the key watches a claimed room but its commands are refused; one opened with the key changes it until the key is rotated", async () => {
  await using s = await startServer({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "sock");
  const url = `${s.url.replace("http", "ws")}/sock/ws`;
  await using watcher = await Client.open(url);
  watcher.ws.send(JSON.stringify({ ref: 1, type: "timer", minutes: 5, user: "w" }));
  const refused = await watcher.next((m) => m.ref === 1);
  expect(refused.error).toStartWith("this room is claimed");
  await using member = await Client.open(url, { "X-Room-Key": key });
  member.ws.send(JSON.stringify({ ref: 2, type: "timer", minutes: 5, user: "m" }));
  expect((await member.next((m) => m.ref === 2)).ok).toBe(true);
  expect((await watcher.next((m) => m.event === "TIMER_REQUEST" && (m.data as { user: string }).user === "m")).data).toMatchObject({ timer: 5 });

  const rotated = await fetch(`${s.url}/api/rooms/sock/owner/key`, { method: "POST", headers: { "X-Room-Key": key } });
  expect(rotated.status).toBe(200);
  member.ws.send(JSON.stringify({ ref: 3, type: "timer", minutes: 5, user: "m" }));
  expect((await member.next((m) => m.ref === 3)).error).toStartWith("this room is claimed");
});

test("a private room needs its key for every way of reading it, and its listeners are ended when it becomes private", async () => {
  await using s = await startServer({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "quiet");
  await using before = await EventReader.open(`${s.url}/quiet/events`);
  await before.replay();
  const made = await fetch(`${s.url}/api/rooms/quiet/owner`, { method: "PUT", headers: { "X-Room-Key": key }, body: '{"private":true}' });
  expect(await made.json()).toMatchObject({ claimed: true, private: true });
  expect(JSON.parse((await before.next("ROOM_OWNER")).data)).toEqual({ claimed: true, private: true });
  await before.closedByServer();

  for (const path of ["/quiet/events", "/quiet/goal", "/api/rooms/quiet", "/api/rooms/quiet?since=0&wait=1"]) {
    const res = await fetch(`${s.url}${path}`);
    expect(res.status, path).toBe(401);
    expect(((await res.json()) as { error: string }).error, path).toStartWith("this room is private: reading it needs its key");
    const withKey = await fetch(`${s.url}${path}`, { headers: { "X-Room-Key": key } });
    expect(withKey.status, path).toBeLessThan(300);
    await withKey.body?.cancel();
  }
  const ws = `${s.url.replace("http", "ws")}/quiet/ws`;
  expect(Client.open(ws)).rejects.toThrow("socket did not open");
  await using member = await Client.open(ws, { "X-Room-Key": key });
  expect((await member.next((m) => m.event === "GOAL_REQUEST")).event).toBe("GOAL_REQUEST");
  await using reader = await EventReader.open(`${s.url}/quiet/events`, { Authorization: basic("anyone", key) });
  await reader.replay();
});

test("the room's page is the same shell for every room: its state comes only through the routes that check the key", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "shell", '{"private":true}');
  await s.fetch("/shell/goal", { method: "PUT", headers: { "X-Room-Key": key }, body: '{"goal":"secret plans"}' });
  const page = await (await s.fetch("/shell")).text();
  expect(page).not.toContain("secret plans");
  expect(page).toContain('data-private="true"');
});

test("a private room's name shows in no statistics, metrics, health or start page", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "hidden-room-name", '{"private":true}');
  await mobTimer(s, "hidden-room-name", key);
  for (const path of ["/", "/stats", "/api/metrics", "/api/health", "/events"]) {
    const controller = new AbortController();
    const res = await s.fetch(path, { signal: controller.signal });
    const text = path === "/events" ? new TextDecoder().decode((await res.body!.getReader().read()).value) : await res.text();
    controller.abort();
    expect(text, path).not.toContain("hidden-room-name");
  }
});

test("rotating the key stops the old one at once; releasing gives the room back to everyone", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "turn");
  const rotated = await s.fetch("/api/rooms/turn/owner/key", { method: "POST", headers: { "X-Room-Key": key } });
  const { key: fresh } = (await rotated.json()) as { key: string };
  expect(fresh).not.toBe(key);
  expect((await mobTimer(s, "turn", key)).status).toBe(401);
  expect((await mobTimer(s, "turn", fresh)).status).toBe(202);
  expect((await s.fetch("/api/rooms/turn/owner", { method: "DELETE", headers: { "X-Room-Key": key } })).status).toBe(401);
  const released = await s.fetch("/api/rooms/turn/owner", { method: "DELETE", headers: { "X-Room-Key": fresh } });
  expect(await released.json()).toEqual({ room: "turn", claimed: false, private: false, since: null });
  expect((await mobTimer(s, "turn", null)).status).toBe(202);
  expect((await s.fetch("/api/rooms/turn/owner/key", { method: "POST" })).status).toBe(409);
});

test("GET /api/rooms/<room>/owner tells a member the room's state and refuses a wrong key, so a page can check one", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  expect(await (await s.fetch("/api/rooms/free/owner")).json()).toEqual({ room: "free", claimed: false, private: false, since: null });
  const { key } = await claim(s, "mine");
  const status = await s.fetch("/api/rooms/mine/owner", { headers: { "X-Room-Key": key } });
  expect(await status.json()).toEqual({ room: "mine", claimed: true, private: false, since: expect.any(String) });
  expect((await s.fetch("/api/rooms/mine/owner", { headers: { "X-Room-Key": "wrong" } })).status).toBe(401);
});

test("wrong keys are limited per address, then per room from all addresses; the key found right once costs nothing after", async () => {
  const clock = new ManualClock();
  await using s = await startServer({ keyTriesPerMinute: 3, roomKeyTriesPerMinute: 5, trustProxy: true }, { hashing: CHEAP_KEY_HASHING, clock });
  const { key } = await claim(s, "guarded");
  const put = (password: string, address: string) =>
    fetch(`${s.url}/guarded`, { method: "PUT", headers: { Authorization: basic("x", password), "X-Forwarded-For": address }, body: '{"timer":1}' });
  expect((await put(key, "10.0.0.9")).status).toBe(202);
  for (let i = 0; i < 3; i++) expect((await put(`guess${i}`, "10.0.0.1")).status).toBe(401);
  const limited = await put("guess3", "10.0.0.1");
  expect(limited.status).toBe(429);
  expect(limited.headers.get("retry-after")).toBe("20");
  expect(await limited.json()).toEqual({ error: "too many room keys tried for your address; try again later" });
  // The room's tries: the team's key and three guesses are spent, one is left for all addresses.
  expect((await put("guess4", "10.0.0.2")).status).toBe(401);
  expect(((await (await put("guess5", "10.0.0.3")).json()) as { error: string }).error).toBe("too many room keys tried for this room; try again later");
  // The team's key, found right before, still works from its own address and any other.
  expect((await put(key, "10.0.0.9")).status).toBe(202);
  clock.advance(60_000);
  expect((await put("guess7", "10.0.0.1")).status).toBe(401);
});

test("no key shows in any log line or metric, right or wrong", async () => {
  const logger = recordingLogger();
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING, logger });
  const { key } = await claim(s, "logged");
  await mobTimer(s, "logged", key);
  await mobTimer(s, "logged", "wrong-key-text");
  await s.fetch("/api/rooms/logged/owner/key", { method: "POST", headers: { "X-Room-Key": key } });
  const metrics = await (await s.fetch("/api/metrics")).text();
  for (const text of [logger.text(), metrics]) {
    expect(text).not.toContain(key);
    expect(text).not.toContain("wrong-key-text");
    expect(text).not.toContain("$argon2");
  }
  expect(metrics).toContain('limit="room_key_wrong"');
});

test("with server-wide Basic auth, Basic carries the server's password and the room key comes in X-Room-Key", async () => {
  await using s = await inProcess({ authUser: "mob", authPassword: "s3cret" }, { hashing: CHEAP_KEY_HASHING });
  const server = basic("mob", "s3cret");
  const res = await s.fetch("/api/rooms/both/owner", { method: "POST", headers: { Authorization: server } });
  const { key } = (await res.json()) as { key: string };
  const put = (headers: Record<string, string>) => s.fetch("/both", { method: "PUT", headers, body: '{"timer":5}' });
  expect((await put({ Authorization: server })).status).toBe(401);
  expect((await put({ Authorization: basic("mob", key) })).headers.get("www-authenticate")).toContain("Basic");
  expect((await put({ Authorization: server, "X-Room-Key": key })).status).toBe(202);
  expect((await put({ "X-Room-Key": key })).status).toBe(401);
});

test("a page on another site can neither claim a room nor change one, even with a key it somehow has", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const evil = { Origin: "https://evil.example" };
  expect((await s.fetch("/api/rooms/target/owner", { method: "POST", headers: evil })).status).toBe(403);
  const { key } = await claim(s, "target");
  for (const [method, path] of [["PUT", "/api/rooms/target/goal"], ["DELETE", "/api/rooms/target/owner"], ["POST", "/api/rooms/target/owner/key"]] as const) {
    const res = await s.fetch(path, { method, headers: { ...evil, "X-Room-Key": key }, body: '{"goal":"x"}' });
    expect(res.status, path).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  }
});

test("a page on another site changes no room by any route, claimed or not; the mob CLI and the room's own page still do", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  const { key } = await claim(s, "kept");
  const changes = [
    ["PUT", "/ROOM", '{"timer":5,"user":"alice"}'],
    ["PUT", "/ROOM/goal", '{"goal":"g","user":"alice"}'],
    ["DELETE", "/ROOM/goal", '{"user":"alice"}'],
    ["POST", "/api/rooms/ROOM/timer", '{"minutes":5}'],
    ["POST", "/api/rooms/ROOM/break", '{"minutes":5}'],
    ["PUT", "/api/rooms/ROOM/goal", '{"goal":"g"}'],
    ["DELETE", "/api/rooms/ROOM/goal", ""],
    ["POST", "/api/rooms/ROOM/roster", '{"add":["alice"]}'],
    ["DELETE", "/api/rooms/ROOM/roster", ""],
    ["PUT", "/api/rooms/ROOM/cadence", '{"breakEvery":3,"breakMinutes":5}'],
    ["POST", "/api/rooms/ROOM/hooks", '{"format":"json","url":"http://127.0.0.1/"}'],
    ["DELETE", "/api/rooms/ROOM/hooks/h1", ""],
    ["POST", "/api/rooms/ROOM/hooks/h1/resume", ""],
    ["POST", "/api/rooms/ROOM/hooks/h1/test", ""],
    ["PUT", "/api/rooms/ROOM/owner", '{"private":true}'],
    ["DELETE", "/api/rooms/ROOM/owner", ""],
    ["POST", "/api/rooms/ROOM/owner/key", ""],
  ] as const;
  for (const room of ["kept", "open"]) {
    for (const [method, path, body] of changes) {
      const res = await s.fetch(path.replace("ROOM", room), { method, headers: { Origin: "https://evil.example", "X-Room-Key": key }, body });
      expect(res.status, `${method} ${path} in ${room}`).toBe(403);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect((await s.fetch(`/api/rooms/${room}`).then((r) => r.json()) as { seq: number }).seq, room).toBe(room === "kept" ? 1 : 0);
  }
  expect((await mobTimer(s, "kept", key)).status).toBe(202);
  const own = await s.fetch("/kept/goal", { method: "PUT", headers: { Origin: s.url, "X-Room-Key": key }, body: '{"goal":"g","user":"alice"}' });
  expect(own.status).toBe(202);
  // Reads stay open to other sites' pages, as the JSON API's CORS header says.
  expect((await s.fetch("/api/rooms/kept/owner", { headers: { Origin: "https://evil.example", "X-Room-Key": key } })).status).toBe(200);
});

test("reading a claimed room's owner without its key says that only its team may read it, not that changing it needs the key", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  await claim(s, "asked");
  const res = await s.fetch("/api/rooms/asked/owner");
  expect(res.status).toBe(401);
  const { error } = (await res.json()) as { error: string };
  expect(error).toStartWith("this room is claimed: only its team may read this, with its key");
  expect(error).not.toContain("changing");
});

test("a room nobody claimed ignores whatever credentials a request carries, as PROTOCOL.md says", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  expect((await mobTimer(s, "plain", "any-password")).status).toBe(202);
  const res = await s.fetch("/plain/goal", { method: "PUT", headers: { "X-Room-Key": "whatever" }, body: '{"goal":"g"}' });
  expect(res.status).toBe(202);
  await using reader = await EventReader.open("/plain/events", { "X-Room-Key": "whatever" }, s.fetch);
  expect((await reader.replay()).goal.goal).toBe("g");
});

test("bad claims get a clear 400", async () => {
  await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
  for (const body of ['{"private":"yes"}', "[1]", "{"]) {
    const res = await s.fetch("/api/rooms/bad/owner", { method: "POST", body });
    expect(res.status, body).toBe(400);
  }
  expect(await (await s.fetch("/api/rooms/bad/owner")).json()).toMatchObject({ claimed: false });
  const { key } = await claim(s, "bad");
  const res = await s.fetch("/api/rooms/bad/owner", { method: "PUT", headers: { "X-Room-Key": key }, body: "{}" });
  expect(await res.json()).toEqual({ error: '"private" must be true or false' });
});

test("a team's changes pay the slow hash once per key: the key found right is remembered until it is rotated", async () => {
  let verified = 0;
  const hashing = { hash: CHEAP_KEY_HASHING.hash, verify: (key: string, hash: string) => (verified++, CHEAP_KEY_HASHING.verify(key, hash)) };
  await using s = await inProcess({}, { hashing });
  const { key } = await claim(s, "busy");
  for (let i = 0; i < 5; i++) expect(await mobTimer(s, "busy", key).then((r) => r.status)).toBe(202);
  expect(verified).toBe(1);
  const { key: fresh } = (await (await s.fetch("/api/rooms/busy/owner/key", { method: "POST", headers: { "X-Room-Key": key } })).json()) as { key: string };
  expect(await mobTimer(s, "busy", key).then((r) => r.status)).toBe(401);
  for (let i = 0; i < 3; i++) expect(await mobTimer(s, "busy", fresh).then((r) => r.status)).toBe(202);
  expect(verified).toBe(3);
});

test("a change to a room nobody claimed reads the store once, as it did before rooms could be claimed", async () => {
  let reads = 0;
  class CountingStore extends MemoryStore {
    override readRoom(name: string) {
      reads++;
      return super.readRoom(name);
    }
  }
  await using s = await inProcess({}, { store: new CountingStore(new ManualClock(), 1000) });
  expect((await mobTimer(s, "free", "anything")).status).toBe(202);
  expect(reads).toBe(1);
});
