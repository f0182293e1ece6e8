// The focus view: only the countdown, who is next and the goal, for a corner of a shared screen.
import { describe, expect, test } from "bun:test";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

describe("the focus view", () => {
  test("shows only the countdown, who is next and the goal, survives a reload, and goes back on a click", async () => {
    await using server = await startServer();
    await server.put("/corner", { timer: 10, user: "alice" });
    await server.put("/corner", { timer: 10, user: "bob" });
    await server.put("/corner/goal", { goal: "Green build", user: "bob" });
    await using context = await instrumentedContext(chromium.browser, { viewport: { width: 480, height: 360 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/corner`);
    await waitForText(page, "#next", "next: alice");
    await page.click("#focus-view");
    expect(new URL(page.url()).hash).toBe("#focus");
    const visible = async () => ({
      countdown: await page.isVisible("#countdown"),
      next: await page.isVisible("#next"),
      goal: await page.isVisible("#goal-text"),
      start: await page.isVisible("#start-timer"),
      history: await page.isVisible("#history-list"),
      settings: await page.isVisible("#user-name"),
      header: await page.isVisible("header.bar"),
    });
    const focused = { countdown: true, next: true, goal: true, start: false, history: false, settings: false, header: false };
    expect(await visible()).toEqual(focused);
    // The whole countdown fits a small window without scrolling.
    expect((await page.locator("#countdown").boundingBox())!.y + 40).toBeLessThan(360);

    await page.reload();
    await waitForText(page, "#next", "next: alice");
    expect(await visible()).toEqual(focused);
    expect(await page.getAttribute("#focus-view", "aria-pressed")).toBe("true");

    await page.click("#focus-view");
    expect(await page.isVisible("#start-timer")).toBe(true);
    expect(new URL(page.url()).hash).toBe("");
    expect(await page.getAttribute("#focus-view", "aria-pressed")).toBe("false");
  }, BROWSER_TEST_MS);

  test("floats in a Picture-in-Picture window where the browser has one, and comes back when it closes", async () => {
    await using server = await startServer();
    await server.put("/floating", { timer: 10, user: "alice" });
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/floating`);
    await waitForText(page, "#who", "started by alice");
    await page.click("#float");
    await page.locator("#floating-note").waitFor();
    type Picture = { documentPictureInPicture: { window: Window | null } };
    const floated = await page.evaluate(() => {
      const picture = (window as unknown as Picture).documentPictureInPicture.window;
      return {
        inPage: document.getElementById("app") !== null,
        countdown: picture?.document.getElementById("countdown")?.textContent,
        focus: picture?.document.documentElement.classList.contains("focus-view"),
      };
    });
    expect(floated.inPage).toBe(false);
    expect(floated.countdown).toMatch(/^(10:00|09:\d\d)$/);
    expect(floated.focus).toBe(true);
    await server.put("/floating", { timer: 5, user: "bob" });
    await page.waitForFunction(
      () => (window as unknown as Picture).documentPictureInPicture.window?.document.getElementById("who")?.textContent === "started by bob",
    );
    await page.evaluate(() => (window as unknown as Picture).documentPictureInPicture.window?.close());
    await page.locator("#floating-note").waitFor({ state: "hidden" });
    await waitForText(page, "#who", "started by bob");
    expect(await page.isVisible("#start-timer")).toBe(true);
  }, BROWSER_TEST_MS);
});
