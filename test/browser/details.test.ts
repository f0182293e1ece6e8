// The small things a team trips over on the room page: focus after deleting the goal, the
// finished state, dates across midnight, a readable placeholder, visible control borders
// and a skip link.
import { describe, expect, test } from "bun:test";
import { ManualClock, startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();
const NAMED = JSON.stringify({ user: "dana", timer: 10, breaktimer: 5, sound: true });

describe("details", () => {
  test("deleting the goal keeps focus in the goal form and offers an undo that restores it", async () => {
    await using server = await startServer();
    await server.put("/aim/goal", { goal: "Ship the login page", user: "carol" });
    await using context = await instrumentedContext(chromium.browser);
    await context.addInitScript(`localStorage.setItem("mob-timer.settings", ${JSON.stringify(NAMED)})`);
    const page = await context.newPage();
    await page.goto(`${server.url}/aim`);
    await waitForText(page, "#goal-text", "Ship the login page");
    await page.focus("#goal-delete");
    await page.keyboard.press("Enter");
    await waitForText(page, "#goal-text", "No goal set.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("goal-input");
    await waitForText(page, "#undo-text", "Goal deleted.");
    await page.click("#undo-button");
    await waitForText(page, "#goal-text", "Ship the login page");
    await waitForText(page, "#goal-by", /^set by carol at /);
  }, BROWSER_TEST_MS);

  test("time's up names the next person once", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${server.url}/once`);
    await server.put("/once", { timer: 1, user: "alice" });
    await server.put("/once", { timer: 1, user: "bob" });
    await waitForText(page, "#next", "next: alice");
    await page.clock.fastForward("01:05");
    await waitForText(page, "#done", "bob: time for mob next · alice is next");
    const visible = await page.locator(".timer").innerText();
    expect(visible.match(/alice/g)).toHaveLength(1);
  }, BROWSER_TEST_MS);

  test("a timer from before midnight shows its weekday in the history", async () => {
    const clock = new ManualClock(Date.parse("2026-11-21T23:50:00.000Z"));
    await using server = await startServer({}, { clock });
    await server.put("/midnight", { timer: 15, user: "alice" });
    clock.advance(25 * 60_000);
    await server.put("/midnight", { timer: 15, user: "bob" });
    await using context = await instrumentedContext(chromium.browser, { timezoneId: "UTC", locale: "en-US" });
    const page = await context.newPage();
    await page.clock.install({ time: Date.parse("2026-11-22T00:20:00.000Z") });
    await page.goto(`${server.url}/midnight`);
    await waitForText(page, "#history-list", /bob/);
    const times = await page.locator(".history-time").allTextContents();
    expect(times).toEqual(["12:15 AM", "Sat 11:50 PM"]);
  }, BROWSER_TEST_MS);

  test("the goal's placeholder fits its field, and fields and presets have borders of 3:1 contrast, light and dark", async () => {
    await using server = await startServer();
    for (const colorScheme of ["light", "dark"] as const) {
      for (const width of [1366, 390]) {
        await using context = await instrumentedContext(chromium.browser, { colorScheme, viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${server.url}/borders`);
        await waitForText(page, "#kind", "No timer running");
        const measured = await page.evaluate(() => {
          const luminance = (colour: string) => {
            const [r, g, b] = colour.match(/[\d.]+/g)!.slice(0, 3).map((c) => {
              const v = Number(c) / 255;
              return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
          };
          const contrast = (a: string, b: string) => {
            const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
            return (x! + 0.05) / (y! + 0.05);
          };
          const card = getComputedStyle(document.querySelector(".card")!).backgroundColor;
          const borders = ["#goal-input", "#user-name", ".preset"].map((selector) =>
            contrast(getComputedStyle(document.querySelector(selector)!).borderTopColor, card),
          );
          const input = document.querySelector<HTMLInputElement>("#goal-input")!;
          const style = getComputedStyle(input);
          const context = document.createElement("canvas").getContext("2d")!;
          context.font = style.font;
          const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return { borders, placeholder: context.measureText(input.placeholder).width, room };
        });
        for (const ratio of measured.borders) expect(ratio).toBeGreaterThanOrEqual(3);
        expect(measured.placeholder).toBeLessThanOrEqual(measured.room);
      }
    }
  }, BROWSER_TEST_MS);

  test("a skip link is the first stop for the keyboard and leads to the page's content", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    for (const path of ["/skip", "/", "/help", "/stats"]) {
      await page.goto(`${server.url}${path}`);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
    }
  }, BROWSER_TEST_MS);
});
