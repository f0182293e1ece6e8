// Controls that forgive: undo after replacing the team's running timer, a Stop, a name asked
// for once, and buttons that say they wait while the server is out of reach.
import { describe, expect, test } from "bun:test";
import type { BrowserContext } from "playwright-core";
import { createApp } from "../../lib/app.ts";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, observed, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

/** A viewer who has told the page their name before. */
const NAMED = { user: "dana", timer: 10, breaktimer: 5, sound: true };

async function named(context: BrowserContext): Promise<void> {
  await context.addInitScript(`localStorage.setItem("mob-timer.settings", ${JSON.stringify(JSON.stringify(NAMED))})`);
}

describe("controls", () => {
  test("replacing a running timer offers an undo that brings it back, for a few seconds", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    await named(context);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/undo`);
    await server.put("/undo", { timer: 10, user: "alice" });
    await waitForText(page, "#who", "started by alice");

    await page.click('[data-start="timer"][data-minutes="5"]');
    await waitForText(page, "#undo-text", "Replaced alice's 10-minute timer.");
    await waitForText(page, "#who", "started by dana");
    await page.click("#undo-button");
    await waitForText(page, "#who", "started by alice");
    expect(server.app.rooms.find("undo")?.latest).toMatchObject({ timer: 10, user: "alice", type: "TIMER" });
    await page.locator("#undo").waitFor({ state: "hidden" });

    await page.click('[data-start="breaktimer"][data-minutes="15"]');
    await waitForText(page, "#undo-text", "Replaced alice's 10-minute timer.");
    await page.clock.fastForward("00:11");
    await page.locator("#undo").waitFor({ state: "hidden" });
  }, BROWSER_TEST_MS);

  test("Stop ends the running timer as a 0-minute timer, without time's up, and can be undone", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    await named(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/stop`);
    await waitForText(page, "#kind", "No timer running");
    expect(await page.isHidden("#stop")).toBe(true);
    await server.put("/stop", { breaktimer: 5, user: "alice" });
    await waitForText(page, "#kind", "Break");
    await page.click("#stop");
    await waitForText(page, "#kind", "No timer running");
    await waitForText(page, "#who", /^stopped by dana at /);
    expect(server.app.rooms.find("stop")?.latest).toMatchObject({ timer: 0, user: "dana", type: "TIMER" });
    expect(await page.isHidden("#done")).toBe(true);
    expect((await observed(page)).notifications).toEqual([]);
    await waitForText(page, "#undo-text", "Stopped alice's 5-minute break.");
    await page.click("#undo-button");
    await waitForText(page, "#kind", "Break");
    expect(server.app.rooms.find("stop")?.latest).toMatchObject({ timer: 5, user: "alice", type: "BREAKTIMER" });
  }, BROWSER_TEST_MS);

  test("a first-time viewer is asked for a name once, and it is remembered", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/names`);
    await waitForText(page, "#kind", "No timer running");
    await page.click("#start-timer");
    await page.locator("#name-dialog").waitFor({ state: "visible" });
    await page.fill("#name-input", "erin");
    await page.click("#name-save");
    await waitForText(page, "#who", "started by erin");
    expect(await page.inputValue("#user-name")).toBe("erin");

    await page.reload();
    await waitForText(page, "#who", "started by erin");
    await page.click('[data-start="timer"][data-minutes="20"]');
    await waitForText(page, "#countdown", /^19:5\d$/);
    expect(await page.isVisible("#name-dialog")).toBe(false);
  }, BROWSER_TEST_MS);

  test("a viewer who skips the name is not asked again, and a nameless timer shows no stray dot", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/nameless`);
    await server.put("/nameless", { timer: 5, user: "alice" });
    await waitForText(page, "#who", "started by alice");
    await page.click("#start-break");
    await page.click("#name-skip");
    await waitForText(page, "#kind", "Break");
    await page.click("#start-timer");
    await waitForText(page, "#kind", "Work");
    expect(await page.isVisible("#name-dialog")).toBe(false);
    await waitForText(page, "#next", "next: alice");
    expect(await page.textContent("#who")).toBe("");
    expect(await page.$eval("#next", (next) => getComputedStyle(next, "::before").content)).toBe("none");
  }, BROWSER_TEST_MS);

  test("while the server is out of reach the buttons wait and say why; on reconnect all is clear", async () => {
    const first = await startServer();
    const port = first.server.port;
    await using context = await instrumentedContext(chromium.browser);
    await named(context);
    let second: ReturnType<typeof Bun.serve> | undefined;
    let app: Awaited<ReturnType<typeof createApp>> | undefined;
    try {
      const page = await context.newPage();
      await page.goto(`${first.url}/offline`);
      await waitForText(page, "#kind", "No timer running");
      await first.close();
      await page.locator("#connection-text").waitFor({ state: "visible" });
      await page.$eval("#start-timer", (button) => (button as HTMLButtonElement).click());
      await waitForText(page, "#offline-note", "Starting timers and the goal work again once the connection is back.");
      expect(await page.isDisabled("#start-timer")).toBe(true);
      expect(await page.isDisabled('[data-start="breaktimer"][data-minutes="5"]')).toBe(true);

      app = await createApp(first.config);
      second = Bun.serve({ port, hostname: "127.0.0.1", development: false, fetch: app.fetch });
      await page.locator("#connection-text").waitFor({ state: "hidden", timeout: 15_000 });
      expect(await page.isHidden("#offline-note")).toBe(true);
      expect(await page.textContent("#problem")).toBe("");
      expect(await page.isEnabled("#start-timer")).toBe(true);
    } finally {
      await first.close();
      await app?.close();
      await second?.stop(true);
    }
  }, BROWSER_TEST_MS);
});
