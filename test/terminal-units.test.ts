// The terminal client's words and options, as pure functions at fixed times: the line
// `mob-timer watch` keeps up to date, its time's-up line, `mob-timer status`'s fields and
// formats, and how the options are read from mob's variables and flags.
import { describe, expect, test } from "bun:test";
import { clientOptions, DEFAULT_TIMEOUT_MS, UsageError, type ClientOptions } from "../lib/cli/client-options.ts";
import { clockText, snapshotOf, type RoomSnapshot } from "../lib/cli/room-snapshot.ts";
import { defaultStatus, formatStatus, statusFields } from "../lib/cli/status-format.ts";
import { fit, logLine, timeUpLine, watchLine } from "../lib/cli/timer-line.ts";

const T0 = Date.parse("2026-12-07T10:00:00.000Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;

function room(over: Partial<RoomSnapshot> = {}, current: Partial<NonNullable<RoomSnapshot["current"]>> = {}): RoomSnapshot {
  return {
    room: "our-team",
    seq: 4,
    current: { type: "TIMER", minutes: 10, requested: T0, endsAt: T0 + 10 * MINUTE, user: "alice", ...current },
    next: "bob",
    goal: "ship the login page",
    ...over,
  };
}

describe("the watch line", () => {
  test.each([
    ["a running timer: kind, time left, whose turn, who is next, the goal", room(), T0 + 2 * MINUTE + 28 * SECOND + 1, "carol", "work 7:32 left · alice's turn · bob is next · goal: ship the login page"],
    ["the time left rounds up, so that 0:00 means the end", room(), T0 + 10 * MINUTE - 1, null, "work 0:01 left · alice's turn · bob is next · goal: ship the login page"],
    ["the watching user's turn", room(), T0, "alice", "work 10:00 left · your turn · bob is next · goal: ship the login page"],
    ["the watching user is next", room(), T0, "bob", "work 10:00 left · alice's turn · you're next · goal: ship the login page"],
    ["an hour or more with hours", room({}, { minutes: 90, endsAt: T0 + 90 * MINUTE }), T0, null, "work 1:30:00 left · alice's turn · bob is next · goal: ship the login page"],
    ["a break", room({ next: null, goal: null }, { type: "BREAKTIMER", minutes: 5, endsAt: T0 + 5 * MINUTE }), T0 + 50 * SECOND, null, "break 4:10 left"],
    ["time's up counts its overtime", room(), T0 + 12 * MINUTE + 3 * SECOND, "carol", "time's up +2:03 · bob is next · goal: ship the login page"],
    ["a break that is over", room({ goal: null }, { type: "BREAKTIMER", minutes: 5, endsAt: T0 + 5 * MINUTE }), T0 + 5 * MINUTE, "bob", "break is over +0:00 · you're next"],
    ["a stop (a 0-minute timer)", room({ goal: null }, { minutes: 0, endsAt: T0 }), T0 + MINUTE, null, "stopped by alice · bob is next"],
    ["idle half an hour after the end", room({ goal: null }), T0 + 40 * MINUTE, null, "no timer running"],
    ["a room nobody has used", room({ seq: 0, current: null, next: null, goal: null }), T0, null, "no timer yet in room our-team"],
  ])("%s", (_, snapshot, now, me, line) => {
    expect(watchLine(snapshot, now, me)).toBe(line);
  });

  test("the line is cut to the terminal's width, so that it never wraps", () => {
    const line = watchLine(room(), T0, null, 20);
    expect(line).toBe("work 10:00 left · a…");
    expect([...line].length).toBe(20);
    expect(fit("short", 20)).toBe("short");
  });

  test("time's up names who is next, and says so to them", () => {
    expect(timeUpLine(room(), "carol")).toBe("time's up: bob is next");
    expect(timeUpLine(room(), "bob")).toBe("time's up: you're next!");
    expect(timeUpLine(room({ next: null }), null)).toBe("time's up");
    expect(timeUpLine(room({}, { type: "BREAKTIMER" }), null)).toBe("break is over: bob is next");
  });

  test("a log line starts with the time in UTC", () => {
    expect(logLine(T0 + 1500, "work 10:00 left")).toBe("2026-12-07T10:00:01Z work 10:00 left");
  });
});

describe("the room from the JSON API", () => {
  const timer = { timer: 10, requested: "2026-12-07T10:00:00.000Z", user: "alice", nextUser: "bob", type: "TIMER" as const };
  const data = { room: "our-team", seq: 3, current: { ...timer, endsAt: "2026-12-07T10:10:00.000Z", running: true }, history: [timer], goal: { goal: "ship it", user: "carol", requested: "2026-12-07T09:00:00.000Z" } };

  test("takes the end time, who is next by the timer, and the goal", () => {
    expect(snapshotOf(data)).toEqual({ room: "our-team", seq: 3, current: { type: "TIMER", minutes: 10, requested: T0, endsAt: T0 + 10 * MINUTE, user: "alice" }, next: "bob", goal: "ship it" });
  });

  test("in a team's room, who is next by the roster as it is now", () => {
    const team = { roster: null, cadence: null, next: "dave", work: { minutes: 10, timers: 1 }, breakDue: false };
    expect(snapshotOf({ ...data, team } as never).next).toBe("dave");
  });

  test("clock text rounds up while counting down and down while counting over", () => {
    expect(clockText(1)).toBe("0:01");
    expect(clockText(59_999, Math.floor)).toBe("0:59");
    expect(clockText(3_600_000)).toBe("1:00:00");
  });
});

describe("the status line", () => {
  test("fields of a running timer, and the default: the time left and who is next", () => {
    const fields = statusFields(room(), T0 + 2 * MINUTE + 28 * SECOND)!;
    expect(fields).toEqual({ left: "7:32", kind: "work", user: "alice", next: "bob", goal: "ship the login page", room: "our-team", state: "running" });
    expect(defaultStatus(fields, "carol")).toBe("7:32 alice → bob");
    expect(defaultStatus(fields, "bob")).toBe("7:32 alice → you");
    expect(formatStatus("{left} {kind} {user} {next} {goal}", fields)).toBe("7:32 work alice bob ship the login page");
    expect(formatStatus("[{room}] {left}{", fields)).toBe("[our-team] 7:32{");
  });

  test("time's up and a break", () => {
    const up = statusFields(room(), T0 + 11 * MINUTE)!;
    expect(up).toMatchObject({ left: "+1:00", state: "up" });
    expect(defaultStatus(up, null)).toBe("time's up → bob");
    const pause = statusFields(room({ next: null }, { type: "BREAKTIMER", minutes: 5, endsAt: T0 + 5 * MINUTE }), T0)!;
    expect(defaultStatus(pause, null)).toBe("5:00 break");
  });

  test("an idle room, a stop and a room nobody used have no status: a prompt shows nothing", () => {
    expect(statusFields(room(), T0 + 40 * MINUTE)).toBeNull();
    expect(statusFields(room({}, { minutes: 0, endsAt: T0 }), T0)).toBeNull();
    expect(statusFields(room({ seq: 0, current: null }), T0)).toBeNull();
  });
});

describe("the options, as mob reads them", () => {
  const env = { MOB_TIMER_URL: "http://timer.example:8080", MOB_TIMER_ROOM: "our-team", MOB_TIMER_USER: "alice" };
  const options = (argv: string[], from: Record<string, string> = env, command: "watch" | "status" = "status") => clientOptions(command, from, argv) as ClientOptions;

  test("MOB_TIMER_URL, MOB_TIMER_ROOM and MOB_TIMER_USER, with defaults for the rest", () => {
    const read = options([]);
    expect(read.server.href).toBe("http://timer.example:8080/");
    expect(read).toMatchObject({ room: "our-team", user: "alice", authorization: null, bell: true, format: null, timeoutMs: DEFAULT_TIMEOUT_MS });
  });

  test("flags win over the environment", () => {
    const read = options(["--url=https://other.example/timer", "--room", "theirs", "--user", "bob", "--format", "{left}", "--timeout", "2s"]);
    expect(read.server.href).toBe("https://other.example/timer/");
    expect(read).toMatchObject({ room: "theirs", user: "bob", format: "{left}", timeoutMs: 2000 });
    expect(options(["--no-bell"], env, "watch").bell).toBe(false);
  });

  test("a room key in the URL's user info becomes Basic credentials, as mob sends them, and leaves the URL", () => {
    const read = options([], { ...env, MOB_TIMER_URL: "https://team-a:Key_-09@timer.example.org/" });
    expect(read.server.href).toBe("https://timer.example.org/");
    expect(read.authorization).toBe(`Basic ${btoa("team-a:Key_-09")}`);
  });

  test("--help", () => {
    expect(clientOptions("watch", {}, ["--help"])).toBe("help");
  });

  test.each([
    [{}, [], "no server: set MOB_TIMER_URL"],
    [{ MOB_TIMER_URL: "http://x/" }, [], "no room: set MOB_TIMER_ROOM"],
    [env, ["--format", "{left} {colour}"], "--format: unknown field {colour}; the fields are {left} {kind} {user} {next} {goal} {room} {state}"],
    [env, ["--timeout", "soon"], "--timeout: expected milliseconds"],
    [env, ["--timeout", "0"], "--timeout: expected milliseconds"],
    [env, ["--bell"], "unknown option --bell for status"],
    [env, ["--room"], "--room needs a value"],
    [{ ...env, MOB_TIMER_URL: "timer.example" }, [], 'the server URL "timer.example" is not a URL'],
    [{ ...env, MOB_TIMER_URL: "ftp://timer.example/" }, [], "the server URL must start with http:// or https://"],
  ])("%j %j is a clear one-line mistake", (from, argv, message) => {
    expect(() => clientOptions("status", from as Record<string, string>, argv)).toThrow(UsageError);
    expect(() => clientOptions("status", from as Record<string, string>, argv)).toThrow(message);
  });

  test("--no-bell is watch's, not status's", () => {
    expect(() => clientOptions("status", env, ["--no-bell"])).toThrow("unknown option --no-bell for status");
  });
});
