// The room page's alerts when time is up, for a team that drives its timers from the `mob`
// tool and may never click the page: the sound that a browser blocks, said where the timer is.
import { describe, expect, test } from "bun:test";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, observed, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

describe("alerts", () => {
  test("says beside the timer that sound is blocked until one click turns sound and notifications on", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser, { viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/cli-team`);
    await waitForText(page, "#sound-blocked", "Sound is blocked: click to turn it on");
    expect(await page.evaluate(() => document.getElementById("alert")!.getBoundingClientRect().bottom)).toBeLessThan(768);
    expect(await page.evaluate(() => !!document.getElementById("alert")!.closest(".timer"))).toBe(true);

    await page.click("#alert");
    await page.locator("#sound-blocked").waitFor({ state: "hidden" });
    expect((await observed(page)).permissionRequests).toBe(1);
    await waitForText(page, "#alert-state", "Sound and notifications are on.");
    expect(await page.isHidden("#alert")).toBe(true);

    await server.put("/cli-team", { timer: 1, user: "alice" });
    await waitForText(page, "#countdown", /^00:5\d$/);
    await page.clock.fastForward("01:05");
    await waitForText(page, "#kind", "Time is up");
    const seen = await observed(page);
    expect(seen.oscillatorStarts).toBeGreaterThan(0);
    expect(seen.notifications).toEqual([{ title: "alice: time for mob next", body: "#cli-team" }]);
  }, BROWSER_TEST_MS);

  test("with sound switched off it does not claim sound is blocked", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    await context.addInitScript(() =>
      localStorage.setItem("mob-timer.settings", JSON.stringify({ user: "dana", sound: false })),
    );
    const page = await context.newPage();
    await page.goto(`${server.url}/silent`);
    await waitForText(page, "#alert-state", /notifications/);
    expect(await page.isHidden("#sound-blocked")).toBe(true);
  }, BROWSER_TEST_MS);

  test("the last minute looks different, and a finished timer counts its overtime, then gives way to idle", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/overtime`);
    await server.put("/overtime", { timer: 2, user: "alice" });
    await waitForText(page, "#countdown", /^01:5\d$/);
    expect(await page.getAttribute("#app", "data-last-minute")).toBeNull();
    await page.clock.fastForward("01:00");
    await waitForText(page, "#countdown", /^00:5\d$/);
    expect(await page.getAttribute("#app", "data-last-minute")).toBe("true");

    await page.clock.fastForward("13:00");
    await waitForText(page, "#kind", "Time is up");
    await waitForText(page, "#countdown", /^\+12:0\d$/);
    await waitForText(page, "#countdown-label", /^ended 12 minutes ago$/);
    expect(await page.getAttribute("#app", "data-last-minute")).toBeNull();

    await page.clock.fastForward("20:00");
    await waitForText(page, "#kind", "No timer running");
    await waitForText(page, "#countdown", "00:00");
    await waitForText(page, "#who", /^last: Work by alice, ended at /);
  }, BROWSER_TEST_MS);

  test("a short warning sound one minute before the end, for those who switch it on", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/warned`);
    await page.click("#alert");
    await page.check("#warn");
    await server.put("/warned", { timer: 2, user: "alice" });
    await waitForText(page, "#countdown", /^01:5\d$/);
    await page.clock.fastForward("00:30");
    expect((await observed(page)).oscillatorStarts).toBe(0);
    await page.clock.fastForward("00:30");
    await waitForText(page, "#countdown", /^00:5\d$/);
    await page.waitForFunction(() => (window as unknown as { __observed: { oscillatorStarts: number } }).__observed.oscillatorStarts > 0);
  }, BROWSER_TEST_MS);
});
