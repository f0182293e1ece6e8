// The room page's layout: a phone's history, a long goal, and the first moment of a load.
import { describe, expect, test } from "bun:test";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

describe("layout", () => {
  test("at 320 px the history stacks each name under its time, scrolls with the page and shows the latest first", async () => {
    await using server = await startServer();
    for (let i = 0; i < 14; i++) await server.put("/phone", { timer: 5, user: `maximilian-${i}-the-long-named` });
    await using context = await instrumentedContext(chromium.browser, { viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/phone`);
    await waitForText(page, "#who", /maximilian-13/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const list = await page.$eval("#history-list", (list) => ({
      overflow: getComputedStyle(list).overflowY,
      scrolls: list.scrollHeight > list.clientHeight,
      name: list.getAttribute("aria-labelledby"),
      items: list.children.length,
    }));
    expect(list).toEqual({ overflow: "visible", scrolls: false, name: "history-heading", items: 10 });
    const user = await page.locator(".history-user").first().boundingBox();
    const time = await page.locator(".history-time").first().boundingBox();
    expect(user!.width).toBeGreaterThan(200);
    expect(user!.y).toBeGreaterThan(time!.y + time!.height - 1);

    await page.click("#history-more");
    expect(await page.locator("#history-list li").count()).toBe(14);
    expect(await page.getAttribute("#history-more", "aria-expanded")).toBe("true");
  }, BROWSER_TEST_MS);

  test("a long goal is clamped so that the countdown stays put, with a button to read it whole", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser, { viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/essay`);
    await waitForText(page, "#kind", "No timer running");
    const top = async () => (await page.locator("#countdown").boundingBox())!.y;
    const before = await top();
    expect(await page.isHidden("#goal-more")).toBe(true);

    const goal = "Make the import job resumable: ".concat("keep a cursor per file, retry a failed batch, ".repeat(5)).slice(0, 250);
    await server.put("/essay/goal", { goal, user: "frank" });
    await waitForText(page, "#goal-text", goal);
    await page.locator("#goal-more").waitFor();
    expect(await top()).toBe(before);
    const clamped = (await page.locator("#goal-text").boundingBox())!.height;
    await page.click("#goal-more");
    expect((await page.locator("#goal-text").boundingBox())!.height).toBeGreaterThan(clamped);
    expect(await page.getAttribute("#goal-more", "aria-expanded")).toBe("true");
    expect(await top()).toBe(before);
  }, BROWSER_TEST_MS);

  test("until the room's events arrive the page shows no state rather than a wrong one", async () => {
    await using server = await startServer();
    await server.put("/waiting", { timer: 10, user: "alice" });
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    // The event stream never answers: what shows is what the page shows before its first event.
    await page.route("**/waiting/events", () => {});
    await page.goto(`${server.url}/waiting`);
    expect(await page.textContent("#kind")).toBe("Connecting…");
    expect(await page.textContent("#countdown")).toBe("--:--");
    expect(await page.title()).toBe("#waiting · mob timer");
    expect(await page.getAttribute("#app", "data-state")).toBe("loading");
    // Nor does it claim the room has no goal or no history.
    expect(await page.textContent("#goal-text")).toBe("");
    expect(await page.isHidden("#history-empty")).toBe(true);
  }, BROWSER_TEST_MS);
});
