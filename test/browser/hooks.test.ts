// The room page's webhooks panel in Chromium, used from the keyboard: add a hook, see the
// secret once, send a test, see a hook paused after failures (told by the room's stream),
// resume it and remove it; axe-core finds nothing wrong with the panel in either state.
import { describe, expect, test } from "bun:test";
import { startServer } from "../helpers.ts";
import { startReceiver } from "../hook-receiver.ts";
import { axeViolations, BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

describe("webhooks panel", () => {
  test("a hook is added, tested, shown paused after failures, resumed and removed, all from the keyboard", async () => {
    await using receiver = startReceiver();
    await using server = await startServer({ webhookAllowPrivate: true, webhookBackoffMs: 10, webhookAttempts: 1, webhookPauseAfter: 1 });
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/team`);
    await waitForText(page, "#hooks-empty", "No webhooks yet.");

    await page.focus("#hook-format");
    await page.selectOption("#hook-format", "json");
    await page.keyboard.press("Tab");
    await page.keyboard.type(`${receiver.url}/our-secret-path`);
    await page.keyboard.press("Enter");
    await waitForText(page, "#hooks-status", "Webhook added.");
    const secret = await page.textContent("#hooks-secret-value");
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await waitForText(page, "#hook-list", /^JSON http:\/\/127\.0\.0\.1:\d+\/…pathWhen a timer starts, a break starts, time is up/);
    expect(await page.textContent("#hook-list")).not.toContain(secret!);
    expect(await page.textContent("#hook-list")).not.toContain("our-secret-path");

    await page.getByRole("button", { name: /^Send a test to the JSON webhook/ }).focus();
    await page.keyboard.press("Enter");
    await waitForText(page, "#hooks-status", "Test delivered (the receiver answered 200).");
    expect(JSON.parse(receiver.received[0]!.body).event).toBe("test");

    receiver.answers.push(503);
    await server.put("/team", { timer: 10, user: "alice" });
    await waitForText(page, "#hook-list", /Paused after 1 failed delivery in a row \(last: answered 503\)/);
    await page.getByRole("button", { name: /^Resume the JSON webhook/ }).focus();
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press("Enter");
    await waitForText(page, "#hooks-status", "Webhook resumed.");
    expect(await page.textContent("#hook-list")).not.toContain("Paused");

    await page.getByRole("button", { name: /^Remove the JSON webhook/ }).focus();
    await page.keyboard.press("Enter");
    await waitForText(page, "#hooks-status", "Webhook removed.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("hooks-heading");
    await page.locator("#hooks-empty").waitFor({ state: "visible" });
    expect(await axeViolations(page)).toEqual([]);
  }, BROWSER_TEST_MS);

  test("a refused target is said, and nothing is added", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/team`);
    await page.fill("#hook-url", "http://127.0.0.1:9/");
    await page.click("#hook-form button[type=submit]");
    await waitForText(page, "#hooks-problem", /^Not done: the host 127\.0\.0\.1 is a private, loopback or link-local address/);
    expect(await server.app.rooms.has("team")).toBe(false);
  }, BROWSER_TEST_MS);
});
