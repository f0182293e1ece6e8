// The compiled executable serves everything from an empty directory, with nothing beside it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { EventReader, spawnServer } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..");
let buildDir: string;
let runDir: string;
let binary: string;

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), "mob-timer-build-"));
  runDir = mkdtempSync(join(tmpdir(), "mob-timer-run-"));
  binary = join(buildDir, "mob-timer");
  const build = Bun.spawn(
    [process.execPath, "run", "build", "--outfile", binary],
    { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
  );
  if ((await build.exited) !== 0) throw new Error(await new Response(build.stderr).text());
}, 120_000);

afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
});

/** Starts the binary from the empty run directory on a free port. */
function start(args: string[] = []) {
  return spawnServer([binary, ...args], { cwd: runDir });
}

test("the executable serves the start page, a timer and its event stream from an empty directory", async () => {
  await using server = await start();
  const url = server.url;
  const index = await fetch(`${url}/`);
  expect(index.status).toBe(200);
  const page = await index.text();
  expect(page).toContain("Join a room");
  const css = /href="(\/assets\/app\.[0-9a-f]+\.css)"/.exec(page);
  expect((await fetch(`${url}${css![1]}`)).status).toBe(200);

  await using events = await EventReader.open(`${url}/binary/events`);
  await events.replay();
  expect((await fetch(`${url}/binary`, { method: "PUT", body: '{"timer":10,"user":"bin"}' })).status).toBe(202);
  expect(JSON.parse((await events.next("TIMER_REQUEST")).data)).toMatchObject({ timer: 10, user: "bin" });
});

test("errors in the executable show no internals", async () => {
  await using server = await start();
  const response = await fetch(`${server.url}/x`, { method: "PUT", body: "{" });
  expect(response.status).toBe(400);
  expect(await response.text()).toBe('{"error":"body is not valid JSON"}');
});

test("--help prints every setting and exits 0", async () => {
  const child = Bun.spawn([binary, "--help"], { cwd: runDir, stdout: "pipe" });
  expect(await child.exited).toBe(0);
  expect(await new Response(child.stdout).text()).toContain("PORT");
});

test("--version prints the version from package.json and exits 0", async () => {
  const child = Bun.spawn([binary, "--version"], { cwd: runDir, stdout: "pipe" });
  expect(await child.exited).toBe(0);
  expect(await new Response(child.stdout).text()).toBe(`mob-timer ${pkg.version}\n`);
});

test("--health-check with the server's settings exits 0 while it runs and 1 once it is gone", async () => {
  const settings = ["--base-path", "/timer", "--auth-user", "ops", "--auth-password", "s3cret"];
  await using server = await start(settings);
  const url = server.url;
  const check = async () => {
    const run = Bun.spawn([binary, "--health-check", ...settings, "--port", new URL(url).port], {
      cwd: runDir,
      env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1" },
      stdout: "pipe",
    });
    return { code: await run.exited, line: await new Response(run.stdout).text() };
  };
  expect(await check()).toEqual({ code: 0, line: `healthy: ${url}/timer/api/health answered 200\n` });
  server.child.kill();
  await server.child.exited;
  const gone = await check();
  expect(gone.code).toBe(1);
  expect(gone.line).toStartWith(`unhealthy: ${url}/timer/api/health: `);
});

test("the executable ignores a .env and a bunfig.toml in its working directory", async () => {
  // Either file, if read, would stop the server before it listens.
  writeFileSync(join(runDir, ".env"), "MAX_MINUTES=not-a-number\n");
  writeFileSync(join(runDir, "bunfig.toml"), 'preload = ["./exit.ts"]\n');
  writeFileSync(join(runDir, "exit.ts"), "process.exit(3);\n");
  try {
    await using server = await start();
    expect(server.url).toStartWith("http://127.0.0.1:");
  } finally {
    for (const file of [".env", "bunfig.toml", "exit.ts"]) rmSync(join(runDir, file));
  }
});
