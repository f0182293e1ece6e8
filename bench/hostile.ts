// What hostile clients cost the server (issue "Hold under hostile clients"): memory with
// 400 streams that do not read under a flood of events, the cost of opening a stream on a
// room with the largest history allowed, and health's latency while one client re-opens
// that stream in a loop. Targets: RSS under 2x the same flood without the stalled streams;
// health p99 under 50 ms.
//
//   bun bench/hostile.ts [--events 10000] [--stalled 400] [--opens 2000] [--in-memory]
//
// Exits 1 when a target is missed.
import { connect, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { integerOption } from "./lib/args.ts";
import { machineLine, statusKiB } from "./lib/proc.ts";
import { deadline, startServer, type BenchServer } from "./lib/server.ts";
import { median, percentile } from "./lib/stats.ts";
import { printTable, verdict } from "./lib/table.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "10000" },
    stalled: { type: "string", default: "400" },
    opens: { type: "string", default: "2000" },
    "in-memory": { type: "boolean", default: false },
  },
});
const events = integerOption(values, "events", 1);
const stalledCount = integerOption(values, "stalled", 0);
const opens = integerOption(values, "opens", 1);
const inMemory = values["in-memory"];
const HISTORY = 1000;
deadline(10 * 60_000);

/** A stream opened over a raw socket that stops reading after its first bytes (or never reads at all). */
function stalledStream(url: string, room: string, readFirst: boolean): Socket {
  const { port } = new URL(url);
  const socket = connect({ host: "127.0.0.1", port: Number(port) });
  socket.on("connect", () => socket.write(`GET /${room}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
  if (readFirst) socket.on("data", () => socket.pause());
  else socket.pause();
  socket.on("error", () => {});
  return socket;
}

/** A flood of events with 250-character user names, PUTs on 16 connections at once. */
async function flood(server: BenchServer, room: string): Promise<void> {
  let sent = 0;
  const worker = async () => {
    while (sent < events) {
      const k = sent++;
      const response = await fetch(`${server.url}/${room}`, { method: "PUT", body: JSON.stringify({ timer: 5, user: `${"u".repeat(246)}${k % 1000}` }) });
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function floodRss(withStalled: boolean): Promise<number> {
  await using server = await startServer({ inMemory, env: { HISTORY_MAX_ENTRIES: String(HISTORY) } });
  const sockets: Socket[] = [];
  if (withStalled) {
    for (let i = 0; i < stalledCount; i++) sockets.push(stalledStream(server.url, "flood", i % 2 === 0));
    await Bun.sleep(1000);
  }
  await flood(server, "flood");
  await Bun.sleep(2000);
  Bun.gc?.(true);
  const rss = statusKiB(server.pid) / 1024;
  for (const socket of sockets) socket.destroy();
  return rss;
}

/** Opens a stream, reads up to the replay's GOAL_REQUEST, closes it; resolves with the ms it took and the bytes. */
async function openOnce(url: string, room: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const abort = new AbortController();
  const response = await fetch(`${url}/${room}/events`, { signal: abort.signal });
  const reader = response.body!.getReader();
  let seen = "";
  let bytes = 0;
  const decoder = new TextDecoder();
  while (!seen.includes("event:GOAL_REQUEST")) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    seen += decoder.decode(value, { stream: true });
  }
  abort.abort();
  return { ms: performance.now() - started, bytes };
}

async function openCostAndHealth(): Promise<{ openMs: number[]; replayKB: number; healthMs: number[] }> {
  await using server = await startServer({ inMemory, env: { HISTORY_MAX_ENTRIES: String(HISTORY) } });
  for (let i = 0; i < HISTORY; i++) {
    const response = await fetch(`${server.url}/big`, { method: "PUT", body: JSON.stringify({ timer: 5, user: `${"u".repeat(246)}${i}` }) });
    await response.arrayBuffer();
  }
  const replayKB = (await openOnce(server.url, "big")).bytes / 1024;
  const openMs: number[] = [];
  const healthMs: number[] = [];
  let looping = true;
  const loop = (async () => {
    for (let i = 0; i < opens; i++) openMs.push((await openOnce(server.url, "big")).ms);
    looping = false;
  })();
  while (looping) {
    const started = performance.now();
    await (await fetch(`${server.url}/api/health`)).arrayBuffer();
    healthMs.push(performance.now() - started);
    await Bun.sleep(5);
  }
  await loop;
  return { openMs, replayKB, healthMs };
}

console.log(machineLine());
const without = await floodRss(false);
const withStalled = await floodRss(true);
const { openMs, replayKB, healthMs } = await openCostAndHealth();
const rssRatio = withStalled / without;
const healthP99 = percentile(healthMs, 0.99);
printTable(
  `Hostile clients (${inMemory ? "in memory" : "SQLite"}; ${events.toLocaleString("en-US")} events of 250-character names; history ${HISTORY})`,
  ["figure", "value", "target", "met"],
  [
    ["RSS after the flood, no stalled streams (MB)", without, "", ""],
    [`RSS after the flood, ${stalledCount} stalled streams (MB)`, withStalled, "", ""],
    ["ratio", rssRatio, "< 2", verdict(rssRatio < 2)],
    ["replay of the largest room (KiB)", replayKB, "", ""],
    [`open a stream on it and read the replay, p50 (ms), ${opens} opens`, median(openMs), "", ""],
    ["  p99 (ms)", percentile(openMs, 0.99), "", ""],
    ["/api/health during the re-open loop, p50 (ms)", median(healthMs), "", ""],
    ["  p99 (ms)", healthP99, "< 50", verdict(healthP99 < 50)],
  ],
);
if (rssRatio >= 2 || healthP99 >= 50) process.exit(1);
