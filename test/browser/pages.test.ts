// Every page in headless Chromium: nothing loads from elsewhere, nothing breaks the
// Content-Security-Policy, and the start page, keyboard use, copying and a phone-sized
// screen work.
import { describe, expect, test } from "bun:test";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, observed, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();
/** Counts every 100 ms instead of every second: the pages follow the counts whenever they come. */
const COUNTED_OFTEN = { countsMs: 100 };

describe("the pages", () => {
  test("request nothing from any other host, break no policy rule and raise no script error", async () => {
    await using server = await startServer();
    const context = await instrumentedContext(chromium.browser);
    const requested: string[] = [];
    const problems: string[] = [];
    context.on("request", (request) => requested.push(request.url()));
    try {
      const page = await context.newPage();
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      await page.goto(`${server.url}/`);
      await page.click("button[type=submit]");
      await waitForText(page, "#countdown", "00:00");
      await page.fill("#user-name", "alice");
      await page.click("#start-timer");
      await waitForText(page, "#who", "started by alice");
      await page.fill("#goal-input", "a goal");
      await page.press("#goal-input", "Enter");
      await waitForText(page, "#goal-text", "a goal");
      await page.click("#test-sound");
      await page.click("#alert");
      expect((await observed(page)).violations).toEqual([]);
      for (const path of ["/help", "/stats", "/no/such/page"]) {
        await page.goto(`${server.url}${path}`);
        expect((await observed(page)).violations).toEqual([]);
      }
      // The 404 above is logged by the browser as a failed load; nothing else may be.
      expect(problems.filter((p) => !p.includes("404"))).toEqual([]);
      const origin = new URL(server.url).origin;
      expect(requested.length).toBeGreaterThan(5);
      expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);

  test("the start page counts listeners and running timers live and joins the room it offers", async () => {
    await using server = await startServer(COUNTED_OFTEN);
    await using context = await instrumentedContext(chromium.browser);
    const index = await context.newPage();
    await index.goto(`${server.url}/`);
    await waitForText(index, "#listeners", "0");
    await waitForText(index, ".prefix", `${server.url}/`);
    const offered = await index.inputValue("#room");
    expect(offered).toMatch(/^[a-z]+-[a-z]+-\d\d$/);

    const room = await context.newPage();
    await room.goto(`${server.url}/counted`);
    await waitForText(index, "#listeners", "1");
    await server.put("/counted", { timer: 5 });
    await waitForText(index, "#timers", "1");

    await index.click("button[type=submit]");
    await waitForText(index, ".room-name", `#${offered}`);
    expect(index.url()).toBe(`${server.url}/${offered}`);
  }, BROWSER_TEST_MS);

  test("the statistics page shows its charts and counts the listeners online now, live", async () => {
    await using server = await startServer(COUNTED_OFTEN);
    await using context = await instrumentedContext(chromium.browser);
    const stats = await context.newPage();
    await stats.goto(`${server.url}/stats`);
    expect(await stats.locator("svg.chart-svg").count()).toBe(2);
    await waitForText(stats, "#listeners", "0");
    const room = await context.newPage();
    await room.goto(`${server.url}/watched`);
    await waitForText(stats, "#listeners", "1");
    await room.close();
    await waitForText(stats, "#listeners", "0");
  }, BROWSER_TEST_MS);

  test("the start page offers the rooms this browser opened, latest first", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.isHidden("#recent")).toBe(true);
    for (const room of ["alpha", "beta", "alpha"]) {
      await page.goto(`${server.url}/${room}`);
      await waitForText(page, "#kind", "No timer running");
    }
    await page.goto(`${server.url}/`);
    await page.locator("#recent").waitFor();
    expect(await page.locator("#recent-list a").allTextContents()).toEqual(["#alpha", "#beta"]);
    await page.click("#recent-list a >> text=#beta");
    await waitForText(page, ".room-name", "#beta");
  }, BROWSER_TEST_MS);

  test("a timer can be started, and a goal set, with the keyboard alone", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/keys`);
    await waitForText(page, "#countdown", "00:00");
    for (let presses = 0; presses < 15; presses++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement?.id === "start-timer")) break;
    }
    await page.keyboard.press("Enter");
    // A first start asks for a name, in a dialog that has the keyboard's focus.
    await page.keyboard.type("kim");
    await page.keyboard.press("Enter");
    await waitForText(page, "#countdown", /^09:5\d$/);
    await waitForText(page, "#who", "started by kim");
    await page.focus("#goal-input");
    await page.keyboard.type("typed goal");
    await page.keyboard.press("Enter");
    await waitForText(page, "#goal-text", "typed goal");
  }, BROWSER_TEST_MS);

  test("copy buttons put the lines for mob and the room link on the clipboard", async () => {
    await using server = await startServer();
    const context = await instrumentedContext(chromium.browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/copied`);
      await page.fill("#user-name", "bob");
      const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
      await page.click('[data-copy="env-url"]');
      await waitForText(page, '[data-copy="env-url"]', "Copied");
      expect(await clipboard()).toBe(`export MOB_TIMER_URL=${server.url}/`);
      await page.click('[data-copy="env-room"]');
      await waitForText(page, '[data-copy="env-room"]', "Copied");
      expect(await clipboard()).toBe("export MOB_TIMER_ROOM=copied");
      await page.click('[data-copy="env-user"]');
      await waitForText(page, '[data-copy="env-user"]', "Copied");
      expect(await clipboard()).toBe("export MOB_TIMER_USER=bob");
      await page.click('[data-copy="room-url"]');
      await waitForText(page, '[data-copy="room-url"]', "Copied");
      expect(await clipboard()).toBe(`${server.url}/copied`);
      await waitForText(page, '[data-copy="room-url"]', "Copy");
    } finally {
      await context.close();
    }
  }, BROWSER_TEST_MS);

  test("the room page fits a 360 px wide screen without sideways scrolling", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser, { viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/a-rather-long-room-name-for-a-small-phone-screen`);
    await server.put("/a-rather-long-room-name-for-a-small-phone-screen", { timer: 25, user: "someone-with-a-very-long-name-indeed" });
    await waitForText(page, "#who", /someone/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  }, BROWSER_TEST_MS);
});
