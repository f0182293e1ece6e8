// Two viewers of one room in separate browser contexts: what one starts, the other sees.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { startServer, type TestServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

/** Opens `room` in both viewers' pages, and waits until both show it idle. */
async function bothOpen(server: TestServer, room: string, viewers: Page[]): Promise<void> {
  for (const page of viewers) {
    await page.goto(`${server.url}/${room}`);
    await waitForText(page, "#countdown", "00:00");
  }
}

describe("two viewers of one room", () => {
  // One test, a room for each thing started or set: a new browser context for each would
  // start two more renderers, which costs the browser several times what the checks do.
  test("a timer started by a click, a break started from a preset, and a goal set and deleted in one show in the other", async () => {
    await using server = await startServer();
    await using first = await instrumentedContext(chromium.browser);
    await using second = await instrumentedContext(chromium.browser);
    const [a, b] = await Promise.all([first.newPage(), second.newPage()]);

    // A timer started by a click in one shows the same countdown in the other.
    await bothOpen(server, "pair", [a, b]);
    await a.fill("#user-name", "alice");
    await a.click("#start-timer");
    const there = await waitForText(b, "#countdown", /^09:5\d$/);
    const here = await waitForText(a, "#countdown", /^09:5\d$/);
    expect(Math.abs(Number(there.slice(3)) - Number(here.slice(3)))).toBeLessThanOrEqual(1);
    await waitForText(b, "#who", "started by alice");
    await waitForText(b, "#kind", "Work");

    // A break started from a preset in one shows as a break in the other.
    await bothOpen(server, "pause", [a, b]);
    await a.fill("#user-name", "bob");
    await a.click('[data-start="breaktimer"][data-minutes="15"]');
    await waitForText(b, "#countdown", /^14:5\d$/);
    await waitForText(b, "#kind", "Break");
    expect(await b.getAttribute("#app", "data-kind")).toBe("break");
    await waitForText(b, "#history-list", /Break15 min/);

    // A goal set and deleted through one page appears and disappears in the other.
    await bothOpen(server, "aim", [a, b]);
    await a.fill("#user-name", "carol");
    await a.fill("#goal-input", "Ship <i>the</i> login page");
    await a.press("#goal-input", "Enter");
    await waitForText(b, "#goal-text", "Ship <i>the</i> login page");
    await waitForText(b, "#goal-by", /^set by carol at /);
    expect(await b.locator("#goal-text i").count()).toBe(0);

    await a.click("#goal-delete");
    await waitForText(b, "#goal-text", "No goal set.");
    expect(await b.isHidden("#goal-delete")).toBe(true);
  }, BROWSER_TEST_MS);
});
