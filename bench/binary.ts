// The compiled executable as an operator meets it: how soon it answers after being started
// (a supervisor's restart, a container's health check), and how much memory it holds idle
// on a small box. Targets: first answer within 150 ms (median), idle under 50 MB resident.
//
//   bun bench/binary.ts [--starts 10] [--binary path]   (without --binary it builds one)
//
// Exits 1 when a target is missed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EventReader } from "../test/helpers.ts";
import { integerOption } from "./lib/args.ts";
import { machineLine, statusKiB } from "./lib/proc.ts";
import { putTimer } from "./lib/put.ts";
import { deadline, ROOT, startServer } from "./lib/server.ts";
import { median } from "./lib/stats.ts";
import { printTable, verdict } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    starts: { type: "string", default: "10" },
    binary: { type: "string" },
  },
});
const starts = integerOption(values, "starts", 1);
const START_TARGET_MS = 150;
const RSS_TARGET_MB = 50;
/** Long enough for the collector to run after the requests, as on a server between uses. */
const IDLE_MS = 5000;

deadline(5 * 60_000);

async function build(outfile: string): Promise<void> {
  const child = Bun.spawn(["npm", "run", "build", "--", "--outfile", outfile], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if ((await child.exited) !== 0) throw new Error(`build failed:\n${await new Response(child.stderr).text()}`);
}

/** The requests of a team's first minute: the pages, a timer, a goal, one event stream. */
async function use(url: string): Promise<void> {
  for (const path of ["/", "/bench-room", "/help", "/stats", "/bench-room/goal"]) await (await fetch(`${url}${path}`)).arrayBuffer();
  await putTimer(url, "bench-room", "alice");
  await using reader = await EventReader.open(`${url}/bench-room/events`);
  await reader.replay();
}

const buildDir = mkdtempSync(join(tmpdir(), "mob-timer-bench-build-"));
try {
  console.log(machineLine());
  const binary = values.binary ?? join(buildDir, "mob-timer");
  if (!values.binary) await build(binary);
  const startMs: number[] = [];
  for (let i = 0; i < starts; i++) {
    await using server = await startServer({ command: [binary] });
    startMs.push(server.startMs);
  }
  let idle: Record<"VmRSS" | "RssAnon" | "RssFile", number>;
  {
    await using server = await startServer({ command: [binary] });
    await use(server.url);
    await Bun.sleep(IDLE_MS);
    idle = { VmRSS: statusKiB(server.pid), RssAnon: statusKiB(server.pid, "RssAnon"), RssFile: statusKiB(server.pid, "RssFile") };
  }
  const mb = (kib: number) => (kib * 1024) / 1e6;
  const idleMB = mb(idle.VmRSS);
  if (median(startMs) > START_TARGET_MS || idleMB >= RSS_TARGET_MB) process.exitCode = 1;
  printTable(
    "The compiled executable (SQLite store in a new data directory each start)",
    ["figure", "value", "target", "met"],
    [
      [`spawn to first 200 from GET /, median of ${starts} (ms)`, median(startMs), `<= ${START_TARGET_MS}`, verdict(median(startMs) <= START_TARGET_MS)],
      ["  each start (ms)", startMs.map((ms) => ms.toFixed(0)).join(" "), "", ""],
      [`resident after a few requests and ${IDLE_MS / 1000} s idle (MB)`, idleMB, `< ${RSS_TARGET_MB}`, verdict(idleMB < RSS_TARGET_MB)],
      // Which part to look at: the runtime's code paged in by what the server uses, or its heap.
      ["  of which the executable's pages (RssFile) (MB)", mb(idle.RssFile), "", ""],
      ["  of which heap and stacks (RssAnon) (MB)", mb(idle.RssAnon), "", ""],
    ],
  );
} finally {
  rmSync(buildDir, { recursive: true, force: true });
}
