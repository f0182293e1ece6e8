// The pure parts of webhooks, directly: which addresses are refused, the signature as a
// receiver checks it, the lines people read, and the rules of a room's list of hooks.
import { describe, expect, test } from "bun:test";
import type { RoomChange, TimerRequest } from "../lib/domain/changes.ts";
import { addHook, hookDelivered, hookFailed, hooksOf, removeHook, resumeHook } from "../lib/domain/hooks.ts";
import type { Hook } from "../lib/domain/settings.ts";
import { Room } from "../lib/domain/room.ts";
import { hookRequest } from "../lib/hooks/formats.ts";
import { noticeOf } from "../lib/hooks/notices.ts";
import { signatureHeaders } from "../lib/hooks/signing.ts";
import { isPrivateAddress, parseTarget, targetProblem } from "../lib/hooks/targets.ts";

describe("addresses", () => {
  const cases: [string, boolean][] = [
    ["127.0.0.1", true],
    ["127.255.0.9", true],
    ["10.0.0.1", true],
    ["172.16.5.4", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.0.10", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["224.0.0.1", true],
    ["255.255.255.255", true],
    ["8.8.8.8", false],
    ["93.184.216.34", false],
    ["::1", true],
    ["::", true],
    ["fe80::1", true],
    ["fd12:3456::1", true],
    ["fc00::1", true],
    ["ff02::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:8.8.8.8", false],
    ["64:ff9b::10.0.0.1", true],
    ["2606:4700:4700::1111", false],
    ["not an address", true],
  ];
  for (const [address, refused] of cases) {
    test(`${address} is ${refused ? "refused" : "allowed"}`, () => expect(isPrivateAddress(address)).toBe(refused));
  }

  test("a name is refused when any of its addresses is private, and allowed when all are public", async () => {
    const rules = { allowedHosts: [], allowPrivate: false };
    const resolving = (addresses: string[]) => async () => addresses;
    expect(await targetProblem(new URL("https://a.example/"), rules, resolving(["93.184.216.34", "10.0.0.1"]))).toContain("private");
    expect(await targetProblem(new URL("https://a.example/"), rules, resolving(["93.184.216.34"]))).toBeNull();
    expect(await targetProblem(new URL("https://a.example/"), rules, async () => Promise.reject(new Error("NXDOMAIN")))).toBe("the host a.example could not be resolved");
  });

  test("URLs that are not http(s), or carry a password, are refused in form", () => {
    expect(parseTarget("gopher://a.example/")).toBe("only http and https URLs can receive webhooks");
    expect(parseTarget("https://u:p@a.example/")).toBe("put no user name or password in the URL");
    expect(parseTarget(`https://a.example/${"x".repeat(2100)}`)).toContain("longer than");
    expect(parseTarget("https://a.example/x")).toBeInstanceOf(URL);
  });
});

test("a receiver checks the signature with nothing but the secret, using Web Crypto", async () => {
  const secret = "our-very-own-secret-1234";
  const body = '{"event":"time-up"}';
  const headers = signatureHeaders(secret, body, 1_764_000_000_123);
  expect(headers["X-Mob-Timer-Timestamp"]).toBe("1764000000");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`1764000000.${body}`));
  expect(headers["X-Mob-Timer-Signature"]).toBe(`sha256=${Buffer.from(mac).toString("hex")}`);
});

describe("lines people read", () => {
  const entry = (type: TimerRequest["type"], user: string | null, nextUser: string | null): TimerRequest => ({ timer: 10, requested: "2026-11-21T09:00:00.000Z", user, nextUser, type });
  const text = (change: RoomChange) => noticeOf({ room: "team", seq: 1, change }, "2026-11-21T09:00:00.000Z")?.text;
  const timeUp = (e: TimerRequest, next: string | null, breakDue: boolean): RoomChange => ({
    kind: "settings",
    settings: null,
    cause: { type: "time-up", entry: e, ended: "2026-11-21T09:10:00.000Z", late: false, next, breakDue },
  });

  test.each([
    [{ kind: "timer", entry: entry("TIMER", "alice", "bob") }, "▶️ alice started a 10 min turn — bob is next"],
    [{ kind: "timer", entry: entry("TIMER", null, null) }, "▶️ A 10 min timer started"],
    [{ kind: "break", entry: entry("BREAKTIMER", "alice", null) }, "☕ 10 min break started by alice"],
    [timeUp(entry("TIMER", "alice", "bob"), "bob", true), "⏰ Time's up for alice — bob is next · break due"],
    [timeUp(entry("TIMER", null, null), null, false), "⏰ Time's up"],
    [timeUp(entry("BREAKTIMER", "alice", null), "carol", false), "⏰ The break is over — carol is next"],
    [{ kind: "goal-deleted", goal: { goal: null, user: "bob", requested: null } }, "🎯 Goal deleted by bob"],
  ] as [RoomChange, string][])("%o reads %p", (change, line) => expect(text(change)).toBe(line));

  test("history expiry and changes to hooks themselves are not sent out", () => {
    expect(text({ kind: "history-expired", cutoff: 0 })).toBeUndefined();
    expect(text({ kind: "settings", settings: null, cause: { type: "hooks", action: "added", id: "x" } })).toBeUndefined();
  });

  test("user text cannot become a Slack link or mention", () => {
    const hook: Hook = { id: "0123456789ab", format: "slack", url: "https://hooks.slack.com/x", secret: null, events: ["goal-set"], paused: false, failures: 0, lastError: null };
    const notice = noticeOf({ room: "team", seq: 1, change: { kind: "goal-set", goal: { goal: "<!channel> & <https://evil|click>", user: null, requested: null } } }, "t")!;
    const body = JSON.parse(hookRequest(hook, notice, null, 0).body);
    expect(body.blocks[0].text.text).toBe("*🎯 New goal: &lt;!channel&gt; &amp; &lt;https://evil|click&gt;*");
  });
});

describe("a room's list of hooks", () => {
  const hook = (id: string): Hook => ({ id, format: "json", url: "https://a.example/", secret: "s".repeat(32), events: ["time-up"], paused: false, failures: 0, lastError: null });

  function roomWith(settings: Room["settings"]): Room {
    const room = new Room("team");
    room.settings = settings;
    return room;
  }

  function apply(room: Room, change: RoomChange | null): Room {
    if (change?.kind === "settings") room.settings = change.settings;
    return room;
  }

  test("other features' settings stay as they are, and a room left with nothing has no settings", () => {
    const room = roomWith({ roster: { members: [] } });
    apply(room, addHook(hook("a"), 10)(room, 0));
    expect(room.settings).toEqual({ roster: { members: [] }, hooks: { list: [hook("a")] } });
    apply(room, removeHook("a")(room, 0));
    expect(room.settings).toEqual({ roster: { members: [] } });
    const alone = roomWith(null);
    apply(alone, addHook(hook("b"), 10)(alone, 0));
    apply(alone, removeHook("b")(alone, 0));
    expect(alone.settings).toBeNull();
  });

  test("failures in a row pause a hook; a delivery that arrives starts the count again; resuming forgets them", () => {
    const room = roomWith(null);
    apply(room, addHook(hook("a"), 10)(room, 0));
    apply(room, hookFailed("a", "answered 503", 3)(room, 0));
    apply(room, hookFailed("a", "answered 503", 3)(room, 0));
    expect(hooksOf(room.settings)[0]).toMatchObject({ failures: 2, paused: false, lastError: "answered 503" });
    apply(room, hookDelivered("a")(room, 0));
    expect(hooksOf(room.settings)[0]).toMatchObject({ failures: 0, lastError: null });
    expect(hookDelivered("a")(room, 0)).toBeNull();
    for (let i = 0; i < 3; i++) apply(room, hookFailed("a", "could not connect", 3)(room, 0));
    expect(hooksOf(room.settings)[0]).toMatchObject({ failures: 3, paused: true });
    apply(room, resumeHook("a")(room, 0));
    expect(hooksOf(room.settings)[0]).toMatchObject({ failures: 0, paused: false, lastError: null });
    expect(resumeHook("a")(room, 0)).toBeNull();
    expect(hookFailed("gone", "x", 3)(room, 0)).toBeNull();
  });

  test("a room holds at most the server's number of hooks", () => {
    const room = roomWith(null);
    apply(room, addHook(hook("a"), 1)(room, 0));
    expect(() => addHook(hook("b"), 1)(room, 0)).toThrow("the room has its maximum of 1 hooks");
  });
});
