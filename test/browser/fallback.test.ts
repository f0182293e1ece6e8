// The room page behind a proxy that buffers event streams whole (as some corporate proxies
// do): it notices that its stream delivers nothing, follows the room by long-poll instead,
// says so quietly, and goes back to the stream once the stream gets through.
import { expect, test } from "bun:test";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText, waitUntil } from "./chromium.ts";

const chromium = sharedChromium();
/** The page's waits in pages/scripts/stream.ts. */
const FIRST_EVENT_MS = 4000;
const STREAM_AGAIN_MS = 15_000;

/** A proxy in front of `upstream` that holds back every event stream until it ends, while `buffering()` says so. */
function bufferingProxy(upstream: string, buffering: () => boolean) {
  const pending = new Set<AbortController>();
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 60,
    async fetch(req) {
      const { pathname, search } = new URL(req.url);
      const abort = new AbortController();
      pending.add(abort);
      req.signal.addEventListener("abort", () => abort.abort());
      try {
        const answer = await fetch(`${upstream}${pathname}${search}`, { method: req.method, headers: req.headers, body: req.body, signal: abort.signal });
        const isStream = answer.headers.get("content-type") === "text/event-stream";
        const body = isStream && buffering() ? await answer.arrayBuffer() : answer.body;
        return new Response(body, { status: answer.status, headers: answer.headers });
      } finally {
        pending.delete(abort);
      }
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    async [Symbol.asyncDispose]() {
      for (const abort of pending) abort.abort();
      await server.stop(true);
    },
  };
}

test("behind a buffering proxy the page follows the room by long-poll, says so quietly, and returns to the stream when it can", async () => {
  await using server = await startServer();
  let buffering = true;
  await using proxy = bufferingProxy(server.url, () => buffering);
  await using context = await instrumentedContext(chromium.browser);
  const page = await context.newPage();
  // The page's clock is moved by hand past the waits of its stream (4 s for the first
  // event, 15 s before trying the stream again) instead of waiting them out.
  await page.clock.install();
  await page.goto(`${proxy.url}/held`);
  await page.clock.runFor(FIRST_EVENT_MS);
  await waitUntil(page, () => !document.getElementById("polling-note")!.hidden);
  await waitForText(page, "#countdown", "00:00");
  expect(await page.isHidden("#connection-text")).toBe(true);

  await server.put("/held", { timer: 10, user: "alice" });
  await waitForText(page, "#countdown", /^(10:00|09:5\d)$/);
  await waitForText(page, "#who", "started by alice");
  // The page's own buttons work while polling.
  await page.fill("#user-name", "carol");
  await page.fill("#goal-input", "through the proxy");
  await page.press("#goal-input", "Enter");
  await waitForText(page, "#goal-text", "through the proxy");
  // The team panel follows the room by long-poll as well.
  await page.fill("#roster-name", "dave");
  await page.press("#roster-name", "Enter");
  await waitUntil(page, () => [...document.querySelectorAll(".member-name")].map((name) => name.textContent).join() === "alice,dave");

  buffering = false;
  await page.clock.runFor(STREAM_AGAIN_MS);
  await waitUntil(page, () => document.getElementById("polling-note")!.hidden);
  await server.put("/held", { breaktimer: 5, user: "bob" });
  await waitForText(page, "#kind", "Break");
}, BROWSER_TEST_MS);

test("with a stream that gets through, the page never polls", async () => {
  await using server = await startServer();
  await using context = await instrumentedContext(chromium.browser);
  const page = await context.newPage();
  const polls: string[] = [];
  // The room's state, which polling asks for (the webhooks panel reads its own list once).
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith("/api/rooms/direct")) polls.push(request.url());
  });
  await page.clock.install();
  await page.goto(`${server.url}/direct`);
  await waitForText(page, "#countdown", "00:00");
  // Past the wait after which a silent stream is given up for polling.
  await page.clock.runFor(FIRST_EVENT_MS + 1000);
  expect(polls).toEqual([]);
  expect(await page.isHidden("#polling-note")).toBe(true);
}, BROWSER_TEST_MS);
