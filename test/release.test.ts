// `npm run release` writes executables named by platform and a SHA256SUMS that
// `sha256sum -c` accepts. Only this machine's target is built: Bun makes it from its own
// executable, so the test downloads nothing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };

const ROOT = join(import.meta.dir, "..");
const windows = process.platform === "win32";
const PLATFORM = `${windows ? "windows" : process.platform}-${process.arch}`;
const NAME = `mob-timer-${PLATFORM}${windows ? ".exe" : ""}`;
let out: string;

function release(dir: string, targets: string) {
  return Bun.spawn([process.execPath, "run", "release", "--out", dir, "--targets", targets], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "mob-timer-release-"));
  const build = release(out, `bun-${PLATFORM}`);
  if ((await build.exited) !== 0) throw new Error(await new Response(build.stderr).text());
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

test("the release holds the executable and a SHA256SUMS that sha256sum -c accepts", async () => {
  expect(readdirSync(out).sort()).toEqual(["SHA256SUMS", NAME].sort());
  const check = Bun.spawn(["sha256sum", "-c", "SHA256SUMS"], { cwd: out, stdout: "pipe" });
  expect(await check.exited).toBe(0);
  expect(await new Response(check.stdout).text()).toBe(`${NAME}: OK\n`);
});

test("the released executable runs and reports the package's version", async () => {
  const run = Bun.spawn([join(out, NAME), "--version"], { cwd: out, stdout: "pipe" });
  expect(await run.exited).toBe(0);
  expect(await new Response(run.stdout).text()).toBe(`mob-timer ${pkg.version}\n`);
});

test("an unknown target fails the release and leaves no SHA256SUMS", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-release-bad-"));
  try {
    const build = release(dir, "bun-plan9-x64");
    expect(await build.exited).not.toBe(0);
    expect(await new Response(build.stderr).text()).toContain("bun-plan9-x64");
    expect(existsSync(join(dir, "SHA256SUMS"))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
