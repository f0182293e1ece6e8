// The room page in headless Chromium against a real server: what one viewer sees and does.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../lib/app.ts";
import { systemClock } from "../../lib/base/clock.ts";
import { SqliteStore } from "../../lib/store/sqlite.ts";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, observed, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

describe("the room page", () => {
  test("shows 00:00 until a timer started over HTTP makes it count down with its starter in the title", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/team`);
    await waitForText(page, "#countdown", "00:00");
    await waitForText(page, "#kind", "No timer running");

    expect((await server.put("/team", { timer: 3, user: "alice" })).status).toBe(202);
    await waitForText(page, "#countdown", /^02:5\d$/);
    await waitForText(page, "#who", "started by alice");
    expect(await page.title()).toMatch(/^02:5\d work · #team$/);
    await waitForText(page, "#history-list", /Work3 minalice/);
  }, BROWSER_TEST_MS);

  test("a name with quotes and markup survives the settings, a reload and a timer start as plain text", async () => {
    await using server = await startServer();
    const context = await instrumentedContext(chromium.browser);
    const name = `Zoë "the <b>bold</b>" \\ O'Neil`;
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/quotes`);
      await page.fill("#user-name", name);
      await page.reload();
      expect(await page.inputValue("#user-name")).toBe(name);

      await page.click("#start-timer");
      await waitForText(page, "#who", `started by ${name}`);
      expect(await page.locator("#who b, #history-list b").count()).toBe(0);
      await waitForText(page, "#history-list", new RegExp(RegExp.escape(name)));
      expect(server.app.rooms.find("quotes")?.latest?.user).toBe(name);
      await waitForText(page, "#env-user", `export MOB_TIMER_USER='Zoë "the <b>bold</b>" \\ O'\\''Neil'`);
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);

  test("when time runs out it shows that, chimes, and notifies once the user has allowed it by a click", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/ending`);
    await waitForText(page, "#countdown", "00:00");
    expect((await observed(page)).permissionRequests).toBe(0);
    await page.click("#alert");
    await waitForText(page, "#alert-state", "Sound and notifications are on.");
    expect((await observed(page)).permissionRequests).toBe(1);

    await server.put("/ending", { timer: 1, user: "alice" });
    await waitForText(page, "#countdown", /^00:5\d$/);
    expect((await observed(page)).oscillatorStarts).toBe(0);
    // Screen readers hear the start, not every second.
    const announced = await page.textContent("#announce");
    expect(announced).toBe("Work, 1 minute, started by alice.");
    await page.clock.runFor("00:05");
    await waitForText(page, "#countdown", /^00:[45]\d$/);
    expect(await page.textContent("#announce")).toBe(announced);
    await page.clock.fastForward("01:05");
    await waitForText(page, "#kind", "Time is up");
    await waitForText(page, "#countdown", /^\+00:\d\d$/);
    await waitForText(page, "#done", "alice: time for mob next");
    let seen = await observed(page);
    expect(seen.notifications).toEqual([{ title: "alice: time for mob next", body: "#ending" }]);
    expect(seen.oscillatorStarts).toBeGreaterThan(0);

    // The page's clock is now 65 s ahead of the server's: two minutes leave it about one.
    await server.put("/ending", { breaktimer: 2, user: "bob" });
    await waitForText(page, "#kind", "Break");
    await page.clock.fastForward("01:05");
    await waitForText(page, "#kind", "Break is over");
    seen = await observed(page);
    expect(seen.notifications.map((n) => n.title)).toEqual(["alice: time for mob next", "break is over"]);
  }, BROWSER_TEST_MS);

  test("switching the sound off silences the end of a timer, and the test button plays it", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/quiet`);
    await page.uncheck("#sound");
    await server.put("/quiet", { timer: 1, user: "alice" });
    await waitForText(page, "#countdown", /^00:5\d$/);
    await page.clock.fastForward("01:05");
    await waitForText(page, "#kind", "Time is up");
    expect((await observed(page)).oscillatorStarts).toBe(0);
    await page.click("#test-sound");
    await page.waitForFunction(() => (window as unknown as { __observed: { oscillatorStarts: number } }).__observed.oscillatorStarts > 0);
  }, BROWSER_TEST_MS);

  test("left open for more than a day, it lets go of the day's timers without a reload", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.clock.install();
    await server.put("/days", { timer: 5, user: "alice" });
    await server.put("/days", { breaktimer: 5, user: "bob" });
    await page.goto(`${server.url}/days`);
    await waitForText(page, "#history-list", /alice/);
    expect(await page.locator("#history-list li").count()).toBe(2);
    expect(await page.isHidden("#history-empty")).toBe(true);

    await page.clock.fastForward("24:01:00");
    await page.locator("#history-empty").waitFor({ state: "visible" });
    expect(await page.locator("#history-list li").count()).toBe(0);
    await waitForText(page, "#kind", "No timer running");
    await waitForText(page, "#countdown", "00:00");
  }, BROWSER_TEST_MS);

  test("shows reconnecting while the server restarts, then the running timer it kept", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mob-timer-restart-"));
    const first = await startServer({}, { store: await SqliteStore.open(dataDir, systemClock) });
    const port = first.server.port;
    const context = await instrumentedContext(chromium.browser);
    let second: { app: Awaited<ReturnType<typeof createApp>>; server: ReturnType<typeof Bun.serve> } | undefined;
    try {
      const page = await context.newPage();
      await page.goto(`${first.url}/restart`);
      await first.put("/restart", { timer: 5, user: "alice" });
      await waitForText(page, "#countdown", /^04:5\d$/);
      expect(await page.isHidden("#connection-text")).toBe(true);

      await first.close();
      await page.locator("#connection-text").waitFor({ state: "visible" });
      expect(await page.textContent("#connection-text")).toBe("Reconnecting…");
      // The countdown goes on by the viewer's clock while the server is away.
      await waitForText(page, "#countdown", /^04:\d\d$/);

      const app = await createApp(first.config, { store: await SqliteStore.open(dataDir, systemClock) });
      second = { app, server: Bun.serve({ port, hostname: "127.0.0.1", development: false, fetch: app.fetch }) };
      await fetch(`${first.url}/restart/goal`, { method: "PUT", body: JSON.stringify({ goal: "set while away" }) });
      await page.locator("#connection-text").waitFor({ state: "hidden", timeout: 15_000 });
      await waitForText(page, "#goal-text", "set while away");
      await waitForText(page, "#countdown", /^04:\d\d$/);
      await waitForText(page, "#who", "started by alice");
      await fetch(`${first.url}/restart`, { method: "PUT", body: JSON.stringify({ timer: 7, user: "bob" }) });
      await waitForText(page, "#who", "started by bob");
      await waitForText(page, "#next", "next: alice");
    } finally {
      await context.close();
      await first.close();
      await second?.app.close();
      await second?.server.stop(true);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, BROWSER_TEST_MS);
});
