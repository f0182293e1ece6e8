// Two viewers of one room in separate browser contexts: what one starts, the other sees.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

/** Runs `use` with the same room open in two separate browser contexts. */
async function twoViewers(room: string, use: (a: Page, b: Page) => Promise<void>): Promise<void> {
  await using server = await startServer();
  await using first = await instrumentedContext(chromium.browser);
  await using second = await instrumentedContext(chromium.browser);
  const [a, b] = await Promise.all([first.newPage(), second.newPage()]);
  for (const page of [a, b]) {
    await page.goto(`${server.url}/${room}`);
    await waitForText(page, "#countdown", "00:00");
  }
  await use(a, b);
}

describe("two viewers of one room", () => {
  test("a timer started by a click in one shows the same countdown in the other", async () => {
    await twoViewers("pair", async (a, b) => {
      await a.fill("#user-name", "alice");
      await a.click("#start-timer");
      const there = await waitForText(b, "#countdown", /^09:5\d$/);
      const here = await waitForText(a, "#countdown", /^09:5\d$/);
      expect(Math.abs(Number(there.slice(3)) - Number(here.slice(3)))).toBeLessThanOrEqual(1);
      await waitForText(b, "#who", "started by alice");
      await waitForText(b, "#kind", "Work");
    });
  }, BROWSER_TEST_MS);

  test("a break started from a preset in one shows as a break in the other", async () => {
    await twoViewers("pause", async (a, b) => {
      await a.fill("#user-name", "bob");
      await a.click('[data-start="breaktimer"][data-minutes="15"]');
      await waitForText(b, "#countdown", /^14:5\d$/);
      await waitForText(b, "#kind", "Break");
      expect(await b.getAttribute("#app", "data-kind")).toBe("break");
      await waitForText(b, "#history-list", /Break15 min/);
    });
  }, BROWSER_TEST_MS);

  test("a goal set and deleted through one page appears and disappears in the other", async () => {
    await twoViewers("aim", async (a, b) => {
      await a.fill("#user-name", "carol");
      await a.fill("#goal-input", "Ship <i>the</i> login page");
      await a.press("#goal-input", "Enter");
      await waitForText(b, "#goal-text", "Ship <i>the</i> login page");
      await waitForText(b, "#goal-by", /^set by carol at /);
      expect(await b.locator("#goal-text i").count()).toBe(0);

      await a.click("#goal-delete");
      await waitForText(b, "#goal-text", "No goal set.");
      expect(await b.isHidden("#goal-delete")).toBe(true);
    });
  }, BROWSER_TEST_MS);
});
