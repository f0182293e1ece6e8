// The room in a background tab: its title and icon tell work, a break, time's up and idle
// apart, and who is next when time is up.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

/** The tab's icon as SVG text: the page draws it as a data URL. */
async function favicon(page: Page): Promise<string> {
  const href = (await page.getAttribute("link[rel=icon]", "href")) ?? "";
  expect(href).toStartWith("data:image/svg+xml,");
  return decodeURIComponent(href.slice("data:image/svg+xml,".length));
}

describe("the tab", () => {
  test("title and icon differ for idle, work, a break and time's up, which names who is next", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/tabs`);
    await waitForText(page, "#kind", "No timer running");
    expect(await page.title()).toBe("No timer · #tabs");
    const idle = await favicon(page);
    expect(idle).toContain('data-state="idle"');

    await server.put("/tabs", { timer: 1, user: "alice" });
    await server.put("/tabs", { timer: 2, user: "bob" });
    await waitForText(page, "#countdown", /^01:5\d$/);
    expect(await page.title()).toMatch(/^01:5\d work · #tabs$/);
    const work = await favicon(page);
    expect(work).toContain('data-state="work"');

    await page.clock.fastForward("01:00");
    await waitForText(page, "#countdown", /^00:5\d$/);
    const later = await favicon(page);
    expect(later).not.toBe(work);

    await page.clock.fastForward("01:05");
    await waitForText(page, "#kind", "Time is up");
    expect(await page.title()).toBe("Time is up: alice is next · #tabs");
    expect(await favicon(page)).toContain('data-state="done"');

    await server.put("/tabs", { breaktimer: 5, user: "bob" });
    await waitForText(page, "#kind", "Break");
    expect(await page.title()).toMatch(/^0\d:\d\d break · #tabs$/);
    expect(await favicon(page)).toContain('data-state="break"');
    await page.clock.fastForward("05:05");
    await waitForText(page, "#kind", "Break is over");
    expect(await page.title()).toBe("Break is over · #tabs");
  }, BROWSER_TEST_MS);
});
