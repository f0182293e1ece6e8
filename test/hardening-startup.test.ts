// Checks at start (issue 10, items 10 and 13): streams fit the open-file limit, so the server
// never runs out of descriptors and spins; settings that contradict each other are named.
import { expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { openFileLimit, streamsWithin } from "../lib/cli/fd-limit.ts";
import { checkStartup } from "../lib/cli/startup-checks.ts";
import { defaultConfig } from "../lib/config.ts";
import { spawnServer } from "./helpers.ts";

const SERVER = [process.execPath, join(import.meta.dir, "..", "server.ts")];
const prlimit = Bun.which("prlimit");

/** Opens a room stream over a raw socket; resolves with the status line (or "closed"). */
function openStream(port: number, sockets: Socket[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\r\n")) resolve(text.slice(0, text.indexOf("\r\n")));
    });
    socket.on("error", () => resolve("error"));
    socket.on("close", () => resolve(text.split("\r\n")[0] || "closed"));
    socket.write("GET /r/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    setTimeout(() => resolve("no answer"), 3000);
  });
}

test.skipIf(!prlimit)("under a low open-file limit, streams are refused before descriptors run out, and health answers", async () => {
  await using server = await spawnServer([prlimit!, "--nofile=256", ...SERVER], {
    env: { IN_MEMORY: "true", MAX_STREAMS: "1000", MAX_STREAMS_PER_CLIENT: "1000", STREAM_OPENS_PER_MINUTE: "100000" },
  });
  const port = Number(new URL(server.url).port);
  const sockets: Socket[] = [];
  try {
    const statuses: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, () => openStream(port, sockets)))));
    }
    const health = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(2000) });
    expect(health.status).toBe(200);
    expect(statuses.filter((s) => s === "HTTP/1.1 200 OK").length).toBe(192);
    expect(statuses.filter((s) => s.startsWith("HTTP/1.1 429")).length).toBe(300 - 192);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  const warning = await server.waitForLine("MAX_STREAMS lowered", 1000);
  expect(warning).toContain("maxStreams=192");
  expect(warning).toContain("openFileLimit=256");
}, 20_000);

test("a MAX_MINUTES longer than the history is named at start", async () => {
  await using server = await spawnServer(SERVER, { env: { IN_MEMORY: "true", MAX_MINUTES: "2000", HISTORY_HOURS: "24" } });
  const warning = await server.waitForLine("MAX_MINUTES is longer than HISTORY_HOURS", 1000);
  expect(warning).toContain("WARN");
  expect(warning).toContain("maxMinutes=2000 historyMinutes=1440");
}, 10_000);

test("the open-file limit is read from /proc/self/limits", () => {
  const limits = [
    "Limit                     Soft Limit           Hard Limit           Units     ",
    "Max open files            1200                 4096                 files     ",
  ].join("\n");
  expect(openFileLimit(limits)).toBe(1200);
  expect(openFileLimit("Max open files            unlimited            unlimited            files")).toBeNull();
});

test("a default MAX_STREAMS is fitted to the open-file limit silently; one the operator set is fitted with a warning", () => {
  const fitted = checkStartup(defaultConfig(), 20_000);
  expect(fitted.config.maxStreams).toBe(streamsWithin(20_000));
  expect(fitted.warnings).toEqual([]);
  const asked = checkStartup({ ...defaultConfig(), maxStreams: 50_000 }, 20_000);
  expect(asked.config.maxStreams).toBe(streamsWithin(20_000));
  expect(asked.warnings).toHaveLength(1);
  expect(asked.warnings[0]!.message).toStartWith("MAX_STREAMS lowered to fit the open-file limit");
});
