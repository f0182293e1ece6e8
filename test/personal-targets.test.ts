// A roster member's own target, black-box: set over the JSON API as a roster edit is, masked
// when shown, refused as a hook's address is; "you're next" when time is up with its member
// next and "your turn" when a timer starts for them, for that member only, through the
// hooks' sender (retries, pausing). In-process with a manual clock, and a real receiver.
import { describe, expect, test } from "bun:test";
import type { Config } from "../lib/config.ts";
import { timeUpChange } from "../lib/domain/team-changes.ts";
import { exportLines, importLines } from "../lib/store/transfer.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { eventually, inProcess, ManualClock, type InProcessApp } from "./helpers.ts";
import { startReceiver, type HookReceiver } from "./hook-receiver.ts";
import { schemaProblems } from "./json-schema.ts";

const MINUTE = 60_000;
const DELIVERING: Partial<Config> = { webhookAllowPrivate: true, webhookBackoffMs: 10 };
/** Every name resolves to a public address, as ntfy.sh does, without asking the network. */
const PUBLIC = { resolve: async () => ["93.184.216.34"] };

type Answer = { status: number; body: Record<string, unknown> };

async function call(s: InProcessApp, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await s.fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() };
}

async function rosterOf(s: InProcessApp, room: string, ...names: string[]): Promise<void> {
  for (const name of names) expect((await call(s, "POST", `/api/rooms/${room}/roster`, { action: "add", name })).status).toBe(200);
}

async function seqOf(s: InProcessApp, room: string): Promise<number> {
  return (await call(s, "GET", `/api/rooms/${room}`)).body.seq as number;
}

/** Time's up for the room's latest timer, as the turns job decides it once the clock has passed its end. */
async function timeIsUp(s: InProcessApp, room: string): Promise<void> {
  const latest = s.app.rooms.find(room)?.latest ?? (await s.app.rooms.load(room)).latest;
  s.clock.advance(latest!.timer * MINUTE);
  await s.app.rooms.commitDecided(room, timeUpChange(latest!.requested, false));
}

/**
 * A change reaches a hook on a receiver of its own: the sender's queue is first in, first
 * out, so whatever was queued before has gone out by then.
 */
async function drained(s: InProcessApp, room: string): Promise<void> {
  await using marker = startReceiver();
  expect((await call(s, "POST", `/api/rooms/${room}/hooks`, { format: "ntfy", url: marker.url, events: ["goal-set"] })).status).toBe(201);
  await s.put(`/${room}/goal`, { goal: "marker", user: null });
  await marker.waitFor(1);
}

function setTarget(s: InProcessApp, room: string, name: string, receiver: HookReceiver | string, format = "ntfy", headers: Record<string, string> = {}): Promise<Answer> {
  const url = typeof receiver === "string" ? receiver : `${receiver.url}/${name}-topic`;
  return call(s, "PUT", `/api/rooms/${room}/targets`, { name, format, url }, headers);
}

describe("a member's own target", () => {
  test("hears \"you're next\" at a time's up with its member next and \"your turn\" when a timer starts for them, and nobody else's", async () => {
    await using bobs = startReceiver();
    await using carols = startReceiver();
    await using s = await inProcess({ ...DELIVERING, publicUrl: "https://timer.example.org" }, { clock: new ManualClock(Date.parse("2026-12-07T09:00:00.000Z")) });
    await rosterOf(s, "team", "alice", "bob", "carol");
    const set = await setTarget(s, "team", "bob", bobs);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      target: { member: "bob", id: expect.stringMatching(/^[0-9a-f]{12}$/), format: "ntfy", url: `${bobs.url}/…opic`, secret: null, paused: false, failures: 0, lastError: null },
      secret: null,
    });
    const carol = await setTarget(s, "team", "carol", carols, "json");
    expect(carol.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await s.put("/team", { timer: 10, user: "alice" });
    await timeIsUp(s, "team");
    const [next] = await bobs.waitFor(1);
    expect(next!.path).toBe("/bob-topic");
    expect(next!.body).toBe("⏰ Time's up for alice — you're next, bob");
    expect(Object.fromEntries(["title", "tags", "priority", "click"].map((h) => [h, next!.headers.get(h)]))).toEqual({
      title: "You're next in #team",
      tags: "alarm_clock",
      priority: "high",
      click: "https://timer.example.org/team",
    });

    await s.put("/team", { timer: 10, user: "bob" });
    const [, turn] = await bobs.waitFor(2);
    expect(turn!.body).toBe("▶️ Your turn, bob: 10 min");
    expect(turn!.headers.get("title")).toBe("Your turn in #team");

    await timeIsUp(s, "team");
    const [word] = await carols.waitFor(1);
    expect(JSON.parse(word!.body)).toMatchObject({ event: "you-are-next", room: "team", text: "⏰ Time's up for bob — you're next, carol", details: { member: "carol", next: "carol" } });
    expect(word!.headers.get("x-mob-timer-signature")).toStartWith("sha256=");
    await drained(s, "team");
    expect(bobs.received).toHaveLength(2);
    expect(carols.received).toHaveLength(1);
  });

  test("is shown masked, replaced, removed, and goes when its member leaves the roster", async () => {
    await using s = await inProcess(DELIVERING);
    await rosterOf(s, "team", "alice", "bob");
    await setTarget(s, "team", "bob", "https://ntfy.sh/bob-secret-topic");
    await setTarget(s, "team", "alice", "https://ntfy.sh/alice-secret-topic");
    await setTarget(s, "team", "bob", "https://ntfy.sh/bob-other-topic");
    const listed = await call(s, "GET", "/api/rooms/team/targets");
    expect((listed.body.targets as { member: string; url: string }[]).map(({ member, url }) => [member, url])).toEqual([
      ["alice", "https://ntfy.sh/…opic"],
      ["bob", "https://ntfy.sh/…opic"],
    ]);
    expect(JSON.stringify(listed.body)).not.toContain("secret-topic");
    const removed = await call(s, "DELETE", "/api/rooms/team/targets", { name: "alice" });
    expect(removed.status).toBe(200);
    expect((removed.body.targets as { member: string }[]).map((t) => t.member)).toEqual(["bob"]);
    await call(s, "POST", "/api/rooms/team/roster", { action: "remove", name: "bob" });
    expect((await call(s, "GET", "/api/rooms/team/targets")).body.targets).toEqual([]);
    // The room's page hears of nothing it does not show: the roster's change, no target.
    expect(JSON.stringify((await call(s, "GET", "/api/rooms/team")).body)).not.toContain("ntfy");
  });

  const ROSTER = ["alice", "bob"];
  test.each([
    [{ name: "bob", format: "ntfy", url: "ftp://ntfy.sh/x" }, "only http and https URLs can receive webhooks"],
    [{ name: "bob", format: "ntfy", url: "http://127.0.0.1/x" }, "the host 127.0.0.1 is a private, loopback or link-local address, which this server does not send to"],
    [{ name: "bob", format: "ntfy", url: `https://ntfy.sh/${"x".repeat(2048)}` }, "the URL is longer than 2048 characters"],
    [{ name: "bob", format: "irc", url: "https://ntfy.sh/x" }, '"format" must be one of json, slack, mattermost, teams, ntfy'],
    [{ name: "bob", format: "ntfy" }, '"url" must be the URL to send to'],
    [{ format: "ntfy", url: "https://ntfy.sh/x" }, '"name" must be a string'],
    [{ name: "erin", format: "ntfy", url: "https://ntfy.sh/x" }, '"erin" is not on the roster'],
    [{ name: "bob", format: "ntfy", url: "https://ntfy.sh/x", secret: "a-secret-of-some-length" }, 'only "json" hooks are signed: leave "secret" out'],
  ])("%p is refused with a 400 that says why, and changes nothing", async (body, error) => {
    await using s = await inProcess({}, PUBLIC);
    await rosterOf(s, "team", ...ROSTER);
    const before = await seqOf(s, "team");
    const answer = await call(s, "PUT", "/api/rooms/team/targets", body);
    expect(answer).toEqual({ status: 400, body: { error } });
    expect(await seqOf(s, "team")).toBe(before);
    expect((await call(s, "GET", "/api/rooms/team/targets")).body.targets).toEqual([]);
  });

  test("in a claimed room it is set with the room's key only, and shown whole to its team only", async () => {
    await using s = await inProcess({}, PUBLIC);
    await rosterOf(s, "ours", "bob");
    const { key } = (await call(s, "POST", "/api/rooms/ours/owner")).body as { key: string };
    expect((await setTarget(s, "ours", "bob", "https://ntfy.sh/bob-x")).status).toBe(401);
    expect((await call(s, "DELETE", "/api/rooms/ours/targets", { name: "bob" })).status).toBe(401);
    expect((await setTarget(s, "ours", "bob", "https://ntfy.sh/bob-x", "ntfy", { "X-Room-Key": key })).status).toBe(200);
    expect((await call(s, "GET", "/api/rooms/ours/targets")).body).toEqual({ targets: [{ member: "bob", format: "ntfy", paused: false }] });
    const whole = await call(s, "GET", "/api/rooms/ours/targets", undefined, { "X-Room-Key": key });
    expect(whole.body.targets).toEqual([expect.objectContaining({ member: "bob", url: "https://ntfy.sh/…ob-x" })]);
  });

  test("its answers fit the OpenAPI document's schemas", async () => {
    await using s = await inProcess({}, PUBLIC);
    const doc = await (await s.fetch("/api/openapi.json")).json();
    const fits = (schema: string, value: unknown) => expect(schemaProblems(doc, doc.components.schemas[schema], value), schema).toEqual([]);
    await rosterOf(s, "ours", "bob");
    fits("NewTarget", (await setTarget(s, "ours", "bob", "https://ntfy.sh/bob-x", "json")).body);
    fits("Targets", (await call(s, "GET", "/api/rooms/ours/targets")).body);
    const { key } = (await call(s, "POST", "/api/rooms/ours/owner")).body as { key: string };
    fits("Targets", (await call(s, "GET", "/api/rooms/ours/targets")).body);
    fits("Targets", (await call(s, "DELETE", "/api/rooms/ours/targets", { name: "bob" }, { "X-Room-Key": key })).body);
  });

  test("deliveries that give up pause it as they pause a hook, and setting it again resumes it", async () => {
    await using bobs = startReceiver();
    await using s = await inProcess({ ...DELIVERING, webhookAttempts: 2, webhookPauseAfter: 2 });
    await rosterOf(s, "team", "bob");
    await setTarget(s, "team", "bob", bobs);
    bobs.answers.push(500, 500, 503, 503);
    const target = async () => ((await call(s, "GET", "/api/rooms/team/targets")).body.targets as { paused: boolean; failures: number; lastError: string | null }[])[0]!;
    await s.put("/team", { timer: 10, user: "bob" });
    await bobs.waitFor(2);
    await drained(s, "team");
    // The sender makes several calls at once: the marker's may come back before bob's last
    // try, whose outcome is stored after it.
    await eventually(async () => (await target()).failures === 1);
    expect(await target()).toMatchObject({ paused: false, failures: 1, lastError: "answered 500" });
    await s.put("/team", { timer: 10, user: "bob" });
    await bobs.waitFor(4);
    await drained(s, "team");
    await eventually(async () => (await target()).failures === 2);
    expect(await target()).toMatchObject({ paused: true, failures: 2, lastError: "answered 503" });
    await s.put("/team", { timer: 10, user: "bob" });
    await drained(s, "team");
    expect(bobs.received).toHaveLength(4);

    await setTarget(s, "team", "bob", bobs);
    expect(await target()).toMatchObject({ paused: false, failures: 0, lastError: null });
    await s.put("/team", { timer: 10, user: "bob" });
    await bobs.waitFor(5);
  });

  test("an export carries the members' targets whole, and an import brings them back", async () => {
    const clock = new ManualClock();
    const exported = new MemoryStore(clock);
    await using s = await inProcess({}, { ...PUBLIC, clock, store: exported });
    await rosterOf(s, "team", "bob");
    expect((await setTarget(s, "team", "bob", "https://ntfy.sh/bob-whole-topic")).status).toBe(200);
    const lines: string[] = [];
    for await (const line of exportLines(exported, clock.now())) lines.push(line);
    expect(lines.join("\n")).toContain("https://ntfy.sh/bob-whole-topic");
    const store = new MemoryStore(clock);
    await importLines(store, (async function* () {
      yield* lines;
    })());
    expect((await store.readRoom("team")).settings?.targets?.list).toEqual([expect.objectContaining({ member: "bob", url: "https://ntfy.sh/bob-whole-topic" })]);
  });
});
