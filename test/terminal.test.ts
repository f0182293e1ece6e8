// `mob-timer watch` and `mob-timer status` as a new user meets them: the compiled executable
// against a real server, on a terminal under tmux (send-keys, capture-pane) and in a pipe.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linesOf } from "../lib/base/lines.ts";
import { eventually, spawnServer, tempDirs } from "./helpers.ts";

// A time's up is awaited for real (6 s), and a restart's backoff. Each test has a server,
// a tmux and directories of its own: most run at once, so their waits overlap.
setDefaultTimeout(60_000);

const ROOT = join(import.meta.dir, "..");
let buildDir: string;
let binary: string;
// Removed after the file: the tests that run at once would remove each other's after each.
const tempDir = tempDirs("terminal", afterAll);

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), "mob-timer-build-"));
  binary = join(buildDir, "mob-timer");
  const build = Bun.spawn([process.execPath, "run", "build", "--outfile", binary], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if ((await build.exited) !== 0) throw new Error(await new Response(build.stderr).text());
}, 120_000);

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

function serve(args: string[] = ["--in-memory"], env: Record<string, string> = {}) {
  return spawnServer([binary, ...args], { env });
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body), headers });
  expect(response.status).toBeLessThan(300);
  return response;
}

/** A timer by bob, then one by alice: bob is next (the room's rotation). */
async function aliceThenBob(server: string, room: string, minutes = 10): Promise<void> {
  await post(`${server}/api/rooms/${room}/timer`, { minutes: 1, user: "bob" });
  await post(`${server}/api/rooms/${room}/timer`, { minutes, user: "alice" });
}

/** What a user's shell has: PATH, mob's variables, and a runtime directory of their own for the status cache. */
function userEnv(server: string, room: string, user: string, runtime = tempDir()): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: runtime, XDG_RUNTIME_DIR: runtime, MOB_TIMER_URL: `${server}/`, MOB_TIMER_ROOM: room, MOB_TIMER_USER: user };
}

function quoted(words: string[]): string {
  return words.map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(" ");
}

/**
 * A tmux server of the test's own, with one pane of a fixed size running `command` in bash:
 * dash, as /bin/sh, would end with the Ctrl-C its command handled.
 */
class Tmux implements Disposable {
  private static made = 0;
  readonly socket = `mob-timer-test-${process.pid}-${Tmux.made++}`;

  constructor(command: string, env: Record<string, string>) {
    this.run(["new-session", "-d", "-x", "100", "-y", "12", command], { ...env, SHELL: "/bin/bash", TERM: "xterm-256color", LANG: "C.UTF-8" });
  }

  run(args: string[], env: Record<string, string> = { PATH: process.env.PATH ?? "" }): string {
    const done = Bun.spawnSync(["tmux", "-L", this.socket, ...args], { env, stdout: "pipe", stderr: "pipe" });
    if (done.exitCode !== 0) throw new Error(`tmux ${args[0]}: ${done.stderr.toString()}`);
    return done.stdout.toString();
  }

  screen(): string {
    // -J: a line the pane wrapped comes back whole.
    return this.run(["capture-pane", "-p", "-J"]);
  }

  /** Polls the pane until `expected` is on it. */
  async waitFor(expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof expected === "string" ? screen.includes(expected) : expected.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`no ${expected} on the pane within ${timeoutMs} ms:\n${screen}`);
      await Bun.sleep(50);
    }
  }

  cursorShown(): boolean {
    return this.run(["display-message", "-p", "#{cursor_flag}"]).trim() === "1";
  }

  [Symbol.dispose](): void {
    Bun.spawnSync(["tmux", "-L", this.socket, "kill-server"]);
  }
}

/** The executable with its output in a pipe: the lines it printed so far, and a wait for one. */
function piped(args: string[], env: Record<string, string>) {
  const child = Bun.spawn([binary, ...args], { env, stdout: "pipe", stderr: "pipe" });
  const out: string[] = [];
  const err: string[] = [];
  const collect = async (stream: ReadableStream<Uint8Array>, into: string[]) => {
    for await (const line of linesOf(stream)) into.push(line);
  };
  const finished = Promise.all([collect(child.stdout, out), collect(child.stderr, err)]);
  return {
    child,
    out,
    err,
    async exit(): Promise<number> {
      const code = await child.exited;
      await finished;
      return code;
    },
    async waitFor(text: string | RegExp, after = 0, timeoutMs = 15_000): Promise<number> {
      const deadline = Date.now() + timeoutMs;
      const fits = (line: string) => (typeof text === "string" ? line.includes(text) : text.test(line));
      for (;;) {
        const at = out.findIndex((line, i) => i >= after && fits(line));
        if (at !== -1) return at;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "${text}" (exit ${child.exitCode}):\n${out.join("\n")}\n${err.join("\n")}`);
        await Bun.sleep(20);
      }
    },
    [Symbol.dispose]() {
      child.kill("SIGKILL");
    },
  };
}

async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

test.concurrent("watch on a terminal keeps one line up to date, says whose turn it is and who is next, and Ctrl-C leaves the terminal as it was", async () => {
  await using server = await serve();
  await aliceThenBob(server.url, "team");
  await fetch(`${server.url}/api/rooms/team/goal`, { method: "PUT", body: JSON.stringify({ goal: "ship the login page", user: "carol" }) });
  using bob = new Tmux(`${quoted([binary, "watch"])}; echo "exit $?"; sleep 600`, userEnv(server.url, "team", "bob"));

  const first = await bob.waitFor(/work (9:5\d|10:00) left · alice's turn · you're next · goal: ship the login page/);
  expect(first).toContain(`watching room team on ${server.url}/ as bob (Ctrl-C to stop)`);
  const shown = /work (\d+:\d\d) left/.exec(first)![1]!;
  // It ticks from the end time the server gave, rewriting its line in place.
  await bob.waitFor(new RegExp(`work (?!${shown})\\d+:\\d\\d left`));
  expect(bob.screen().match(/left ·/g)).toHaveLength(1);
  expect(bob.cursorShown()).toBe(false);

  await post(`${server.url}/api/rooms/team/break`, { minutes: 5, user: "alice" });
  await bob.waitFor(/break (4:5\d|5:00) left · you're next · goal: ship the login page/);

  bob.run(["send-keys", "C-c"]);
  const after = await bob.waitFor("exit 0");
  expect(after).toMatch(/break \d:\d\d left[^\n]*\n(\^C)?\s*exit 0/);
  expect(bob.cursorShown()).toBe(true);
});

test.concurrent("at time's up watch prints a line and rings the bell on a terminal; in a pipe it prints a line per event, without escapes or bell", async () => {
  // A timer that ends 6 s from now, imported as if started 54 s ago: the API takes whole minutes.
  const data = tempDir();
  const requested = new Date(Date.now() - 54_000).toISOString();
  const room = { kind: "room", name: "team", seq: 2, goal: { goal: null, user: null, requested: null }, history: [{ timer: 1, requested, user: "alice", nextUser: "bob", type: "TIMER" }], settings: null };
  const exportFile = join(data, "export.jsonl");
  writeFileSync(exportFile, `${JSON.stringify({ kind: "mob-timer-export", version: 1, exported: requested })}\n${JSON.stringify(room)}\n`);
  const imported = Bun.spawn([binary, "import", "--data-dir", data], { stdin: Bun.file(exportFile), stdout: "pipe", stderr: "pipe" });
  expect(await imported.exited).toBe(0);
  await using server = await serve(["--data-dir", data]);

  const raw = join(tempDir(), "pane.raw");
  using bob = new Tmux(`${quoted([binary, "watch"])}; sleep 600`, userEnv(server.url, "team", "bob"));
  bob.run(["pipe-pane", "-o", `cat >> ${quoted([raw])}`]);
  using carol = piped(["watch"], userEnv(server.url, "team", "carol"));

  await bob.waitFor(/work 0:0\d left · alice's turn · you're next/);
  const screen = await bob.waitFor("time's up: you're next!");
  expect(screen).toMatch(/time's up: you're next!\ntime's up \+0:0\d · you're next/);
  // tmux pipes what it drew to the file afterwards: on a busy machine the file catches up later.
  const rang = "time's up: you're next!\x07";
  await eventually(() => existsSync(raw) && readFileSync(raw, "latin1").includes(rang), 5000);
  expect(readFileSync(raw, "latin1")).toContain(rang);

  await carol.waitFor("time's up: bob is next");
  const lines = carol.out;
  expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ watching room team on ${server.url}/ as carol$`));
  expect(lines[1]).toMatch(/Z work 0:\d\d left · alice's turn · bob is next$/);
  expect(lines[2]).toMatch(/Z time's up: bob is next$/);
  expect(lines.join("\n")).not.toMatch(/[\x07\x1b\r]/);

  // Each change is one more line, not one per second.
  await post(`${server.url}/api/rooms/team/timer`, { minutes: 10, user: "bob" });
  await carol.waitFor(/work (9:5\d|10:00) left · bob's turn/, 3);
  expect(carol.out).toHaveLength(4);
});

test.concurrent("watch says so in one line when the room's key is wrong, and with the right key in MOB_TIMER_URL follows a private room", async () => {
  await using server = await serve();
  const claim = await post(`${server.url}/api/rooms/ours/owner`, { private: true });
  const { key } = (await claim.json()) as { key: string };
  const withKey = (k: string) => ({ MOB_TIMER_URL: server.url.replace("http://", `http://team:${k}@`) + "/" });
  await post(`${server.url}/api/rooms/ours/timer`, { minutes: 10, user: "alice" }, { "X-Room-Key": key });

  // The slow hash of a wrong key may take status past its default 500 ms on a busy machine.
  for (const command of [["watch"], ["status", "--timeout", "10s"]]) {
    using wrong = piped(command, { ...userEnv(server.url, "ours", "bob"), ...withKey("not-the-key") });
    expect(await wrong.exit()).toBe(1);
    expect(wrong.err).toEqual([`mob-timer ${command[0]}: room ours: the room key is wrong`]);
    expect(wrong.out.join("\n")).not.toContain("not-the-key");
  }
  using keyless = piped(["watch"], userEnv(server.url, "ours", "bob"));
  expect(await keyless.exit()).toBe(1);
  expect(keyless.err).toEqual(["mob-timer watch: room ours: this room is private: reading it needs its key (send it in the X-Room-Key header, or as the password of Basic authentication) (as for mob, the key goes in MOB_TIMER_URL: https://team:KEY@host/)"]);

  // The key goes with the socket too: a change made later reaches the watch.
  using member = piped(["watch"], { ...userEnv(server.url, "ours", "bob"), ...withKey(key) });
  await member.waitFor(/work (9:5\d|10:00) left · alice's turn/);
  expect(member.out[0]).toContain(`watching room ours on ${server.url}/ as bob`);
  await post(`${server.url}/api/rooms/ours/break`, { minutes: 5, user: "alice" }, { "X-Room-Key": key });
  await member.waitFor(/break (4:5\d|5:00) left/, 2);
  expect(member.out.join("\n")).not.toContain(key);
});

test.concurrent("a room nobody has used is watched until a timer starts there; a room name the server refuses is one line", async () => {
  await using server = await serve();
  using watch = piped(["watch"], userEnv(server.url, "nobody-yet", "bob"));
  await watch.waitFor("no timer yet in room nobody-yet");
  await post(`${server.url}/api/rooms/nobody-yet/timer`, { minutes: 5, user: "alice" });
  await watch.waitFor(/work (4:5\d|5:00) left · alice's turn/);

  const idle = piped(["status"], userEnv(server.url, "never-used", "bob"));
  expect(await idle.exit()).toBe(0);
  expect(idle.out).toEqual([]);

  using bad = piped(["watch", "--room", "no/such"], userEnv(server.url, "x", "bob"));
  expect(await bad.exit()).toBe(1);
  expect(bad.err).toEqual(['mob-timer watch: room no/such: room name may only contain letters A-Z and a-z, digits, "_" and "-"']);
});

test.concurrent("status in tmux's status line, with the line docs/terminal.md gives", async () => {
  await using server = await serve();
  await aliceThenBob(server.url, "team");
  const env = { ...userEnv(server.url, "team", "bob"), PATH: `${buildDir}:${process.env.PATH ?? ""}` };
  using inner = new Tmux("sleep 600", env);
  inner.run(["set", "-g", "status-interval", "1"]);
  inner.run(["set", "-g", "status-right", "#(mob-timer status)"]);
  // tmux draws a status line only for an attached client: one, in a pane of a second tmux.
  using outer = new Tmux(`env -u TMUX tmux -L ${inner.socket} attach`, env);
  await outer.waitFor(/ (9:5\d|10:00) alice → you$/m);
  await post(`${server.url}/api/rooms/team/break`, { minutes: 5, user: "alice" });
  await outer.waitFor(/ [45]:\d\d break → you$/m);
});

/** In front of the server: counts the room's reads, and can stop answering. */
function countingProxy(target: string) {
  const state = { reads: 0, answering: true };
  const proxy = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname.startsWith("/api/rooms/")) state.reads++;
      if (!state.answering) return new Promise<Response>(() => {});
      const answer = await fetch(`${target}${url.pathname}${url.search}`, { headers: req.headers });
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: answer.headers });
    },
  });
  return { state, url: `http://127.0.0.1:${proxy.port}`, [Symbol.dispose]: () => proxy.stop(true) };
}

function cacheFile(runtime: string): string {
  const dir = join(runtime, "mob-timer");
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
}

/** Makes the cached answer look `ms` old, as if the last request were that long ago. */
function ageCache(runtime: string, ms: number): void {
  const file = cacheFile(runtime);
  const cached = JSON.parse(readFileSync(file, "utf8")) as { fetchedAt: number };
  writeFileSync(file, JSON.stringify({ ...cached, fetchedAt: Date.now() - ms }));
}

test.concurrent("--help names both client commands; each has its own help", async () => {
  const help = piped(["--help"], { PATH: process.env.PATH ?? "" });
  expect(await help.exit()).toBe(0);
  expect(help.out.join("\n")).toContain("mob-timer watch");
  expect(help.out.join("\n")).toContain("mob-timer status");
  const watchHelp = piped(["watch", "--help"], { PATH: process.env.PATH ?? "" });
  expect(await watchHelp.exit()).toBe(0);
  expect(watchHelp.out.join("\n")).toContain("--no-bell");
});

// The tests below run alone, after the others. The first three time a status within its
// timeout (500 ms by default) or its cache's second, which the others' processes starting at
// the same time would overrun; the last two stop a server and count on nobody else taking
// its port meanwhile (or take a port nobody listens on).

test("status in a shell prompt shows the time left and who is next, and nothing once the timer stops", async () => {
  await using server = await serve();
  await aliceThenBob(server.url, "team");
  const runtime = tempDir();
  // The line docs/terminal.md gives for ~/.bashrc, with the executable on the PATH.
  const rc = join(runtime, "bashrc");
  writeFileSync(rc, "PS1='[$(mob-timer status)] $ '\n");
  const env = { ...userEnv(server.url, "team", "bob", runtime), PATH: `${buildDir}:${process.env.PATH ?? ""}` };
  using shell = new Tmux(`bash --noprofile --rcfile ${quoted([rc])} -i`, env);
  await shell.waitFor(/^\[(9:5\d|10:00) alice → you\] \$/m);
  await post(`${server.url}/api/rooms/team/timer`, { minutes: 0, user: "alice" });
  // The cache stands in for the server for a second: once that is over, the next prompt shows the stop.
  ageCache(runtime, 1500);
  shell.run(["send-keys", "Enter"]);
  await shell.waitFor(/^\[\] \$/m);

  shell.run(["send-keys", `mob-timer status --format '{kind}|{user}|{next}|{colour}'; echo "exit $?"`, "Enter"]);
  await shell.waitFor("exit 2");
  expect(shell.screen()).toContain("mob-timer status: --format: unknown field {colour}; the fields are {left} {kind} {user} {next} {goal} {room} {state}");
});

test("status asks the server at most once a second: a second call within it answers from the cache in the runtime directory", async () => {
  await using server = await serve();
  await aliceThenBob(server.url, "team");
  using proxy = countingProxy(server.url);
  const runtime = tempDir();
  const env = userEnv(proxy.url, "team", "carol", runtime);
  const status = async (...args: string[]) => {
    const run = piped(["status", ...args], env);
    expect(await run.exit()).toBe(0);
    return run.out.join("\n");
  };

  expect(await status()).toMatch(/^(9:5\d|10:00) alice → bob$/);
  // As if the prompt were drawn again at once, however slow this machine is to start a process.
  ageCache(runtime, 0);
  expect(await status("--format", "{left} {kind} {user} {next} {room} {state}")).toMatch(/^(9:5\d|10:00) work alice bob team running$/);
  expect(proxy.state.reads).toBe(1);
  expect(readFileSync(cacheFile(runtime), "utf8")).not.toContain("://");

  ageCache(runtime, 1500);
  expect(await status()).toMatch(/alice → bob$/);
  expect(proxy.state.reads).toBe(2);
});

test("status never holds a prompt longer than its timeout: the cached value, or nothing, from a server that does not answer", async () => {
  await using server = await serve();
  await aliceThenBob(server.url, "team");
  using proxy = countingProxy(server.url);
  const runtime = tempDir();
  const status = async (env: Record<string, string>, ...args: string[]) => {
    const started = performance.now();
    const run = piped(["status", ...args], env);
    expect(await run.exit()).toBe(0);
    return { out: run.out.join("\n"), ms: performance.now() - started };
  };
  expect((await status(userEnv(proxy.url, "team", "carol", runtime))).out).toMatch(/alice → bob$/);

  proxy.state.answering = false;
  ageCache(runtime, 1500);
  const cached = await status(userEnv(proxy.url, "team", "carol", runtime));
  expect(cached.out).toMatch(/^(9:5\d|10:00) alice → bob$/);
  expect(cached.ms).toBeGreaterThanOrEqual(500);
  expect(cached.ms).toBeLessThan(2500);
  expect(proxy.state.reads).toBe(2);

  // A socket that accepts and never replies, and nothing cached: nothing, within --timeout.
  const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  try {
    const nothing = await status(userEnv(`http://127.0.0.1:${silent.port}`, "team", "carol"), "--timeout", "200");
    expect(nothing.out).toBe("");
    expect(nothing.ms).toBeLessThan(2000);
  } finally {
    silent.stop(true);
  }
});

test("watch tells of a server that restarts under it, tries again, and shows the timer again", async () => {
  const data = tempDir();
  const port = String(await freePort());
  const first = await serve(["--data-dir", data], { PORT: port });
  await aliceThenBob(first.url, "team");
  using bob = new Tmux(`${quoted([binary, "watch"])}; sleep 600`, userEnv(first.url, "team", "bob"));
  await bob.waitFor(/work \d+:\d\d left · alice's turn · you're next/);

  first.child.kill("SIGTERM");
  expect(await first.child.exited).toBe(0);
  await bob.waitFor(/reconnecting in \d+ s \([^)]+\) · work \d+:\d\d left · alice's turn/);

  await using second = await serve(["--data-dir", data], { PORT: port });
  expect(second.url).toBe(first.url);
  const back = await bob.waitFor(/^work \d+:\d\d left · alice's turn · you're next$/m, 40_000);
  expect(back).not.toContain("reconnecting");
});

test("watch keeps trying a server it cannot reach, 1 s, then 2 s, and says so", async () => {
  const port = await freePort();
  using watch = piped(["watch"], userEnv(`http://127.0.0.1:${port}`, "team", "bob"));
  const first = await watch.waitFor("reconnecting in 1 s");
  expect(watch.out[first]).toContain(`cannot reach http://127.0.0.1:${port}/`);
  await watch.waitFor("reconnecting in 2 s", first);
  expect(watch.child.exitCode).toBeNull();
});
