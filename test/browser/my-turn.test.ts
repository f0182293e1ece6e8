// "Alert me only when it is my turn" on the room page, in Chromium: with the choice on, the
// sound and the notification come only when time is up with the viewer next and when a timer
// starts for them; their name stands out where the page says who is next and in the roster;
// and a line says about when their turn comes. With it off, the page alerts as before.
import { describe, expect, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { ManualClock, startServer, type TestServer } from "../helpers.ts";
import { startReceiver } from "../hook-receiver.ts";
import { axeViolations, BROWSER_TEST_MS, instrumentedContext, observed, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();
const MINUTE = 60_000;

async function as(context: BrowserContext, user: string): Promise<void> {
  await context.addInitScript(`localStorage.setItem("mob-timer.settings", ${JSON.stringify(JSON.stringify({ user, timer: 10, breaktimer: 5, sound: true }))})`);
}

async function rosterOf(server: TestServer, room: string, ...names: string[]): Promise<void> {
  for (const name of names) {
    const res = await server.fetch(`/api/rooms/${room}/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
    expect(res.status).toBe(200);
  }
}

/** The server's clock and the page's move together, as two machines' clocks would. */
async function advance(clock: ManualClock, page: Page, ms: number): Promise<void> {
  clock.advance(ms);
  await page.clock.fastForward(ms);
}

/** A page of room `room` for `user`, its clock on the server's, with sound and notifications switched on. */
async function openRoom(context: BrowserContext, server: TestServer, clock: ManualClock, room: string): Promise<Page> {
  const page = await context.newPage();
  await page.clock.install({ time: clock.now() });
  await page.goto(`${server.url}/${room}`);
  await waitForText(page, "#kind", "No timer running");
  await page.click("#alert");
  await waitForText(page, "#alert-state", "Sound and notifications are on.");
  return page;
}

describe("alert me only when it is my turn", () => {
  test("with the choice on, only the viewer's turn rings; their name stands out, and the page says when their turn comes", async () => {
    const clock = new ManualClock(Date.now());
    await using server = await startServer({ timeUpMs: 10 }, { clock });
    await using context = await instrumentedContext(chromium.browser);
    await as(context, "dana");
    const page = await openRoom(context, server, clock, "turns");
    await rosterOf(server, "turns", "alice", "bob", "dana");

    // Chosen by keyboard: Tab reaches the box, Space checks it, and the page keeps it for this room.
    await page.focus("#warn");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("my-turn-only");
    await page.keyboard.press("Space");
    expect(await page.evaluate(() => localStorage.getItem("mob-timer.my-turn.turns"))).toBe("on");
    await waitForText(page, "#my-turn", "Your turn comes after 2 other turns.");
    await waitForText(page, ".member[data-me] .member-name", "dana (you)");

    await server.put("/turns", { timer: 10, user: "alice" });
    await waitForText(page, "#my-turn", "Your turn in about 20 min, after 1 other turn.");
    await waitForText(page, "#next", "next: bob");
    expect(await page.getAttribute("#next", "class")).toBe("next");
    await advance(clock, page, 4 * MINUTE);
    await waitForText(page, "#my-turn", "Your turn in about 16 min, after 1 other turn.");

    // Time is up with bob next: not dana's business.
    await advance(clock, page, 6 * MINUTE + 5000);
    await waitForText(page, "#kind", "Time is up");
    expect(await observed(page)).toMatchObject({ oscillatorStarts: 0, notifications: [] });

    await server.put("/turns", { timer: 10, user: "bob" });
    await waitForText(page, "#next", "next: dana (you)");
    expect(await page.getAttribute("#next", "class")).toContain("is-me");
    await waitForText(page, "#my-turn", "You are next, in about 10 min.");
    expect(await axeViolations(page)).toEqual([]);
    expect((await observed(page)).oscillatorStarts).toBe(0);

    // Time is up with dana next: the sound and a notification that says so.
    await advance(clock, page, 10 * MINUTE + 5000);
    await waitForText(page, "#done", "bob: time for mob next · dana (you) is next");
    await page.waitForFunction(() => (window as unknown as { __observed: { oscillatorStarts: number } }).__observed.oscillatorStarts > 0);
    expect((await observed(page)).notifications).toContainEqual({ title: "You are next", body: "#turns" });

    // A timer started for dana, by the mob tool on another machine: her turn, told.
    const before = (await observed(page)).oscillatorStarts;
    await server.put("/turns", { timer: 10, user: "dana" });
    await waitForText(page, "#my-turn", "It is your turn.");
    expect((await observed(page)).notifications).toContainEqual({ title: "Your turn", body: "10 min · #turns" });
    expect((await observed(page)).oscillatorStarts).toBeGreaterThan(before);
  }, BROWSER_TEST_MS);

  test("with the choice off, every time's up rings as before, nobody's name stands out and no turn is foretold", async () => {
    const clock = new ManualClock(Date.now());
    await using server = await startServer({ timeUpMs: 10 }, { clock });
    await using context = await instrumentedContext(chromium.browser);
    await as(context, "dana");
    await context.addInitScript(() => localStorage.setItem("mob-timer.my-turn.plain", "on"));
    const page = await openRoom(context, server, clock, "plain");
    await rosterOf(server, "plain", "alice", "bob", "dana");
    await waitForText(page, "#my-turn", "Your turn comes after 2 other turns.");
    expect(await page.isChecked("#my-turn-only")).toBe(true);
    await page.uncheck("#my-turn-only");
    expect(await page.evaluate(() => localStorage.getItem("mob-timer.my-turn.plain"))).toBeNull();
    await waitForText(page, "#my-turn", "");
    expect(await page.$$eval(".member[data-me]", (items) => items.length)).toBe(0);

    await server.put("/plain", { timer: 10, user: "alice" });
    await waitForText(page, "#next", "next: bob");
    expect(await page.textContent("#my-turn")).toBe("");
    await advance(clock, page, 10 * MINUTE + 5000);
    await waitForText(page, "#kind", "Time is up");
    await page.waitForFunction(() => (window as unknown as { __observed: { oscillatorStarts: number } }).__observed.oscillatorStarts > 0);
    expect((await observed(page)).notifications).toContainEqual({ title: "alice: time for mob next", body: "#plain" });
  }, BROWSER_TEST_MS);

  test("the team panel sets a member's own target by keyboard: refused with the reason, then saved masked, and it hears of their turn", async () => {
    await using phone = startReceiver();
    await using server = await startServer({ webhookAllowPrivate: true });
    await using context = await instrumentedContext(chromium.browser);
    await as(context, "dana");
    const page = await context.newPage();
    await page.goto(`${server.url}/phones`);
    await waitForText(page, "#kind", "No timer running");
    await rosterOf(server, "phones", "alice", "dana");
    expect(await page.inputValue("#own-target-member")).toBe("dana");

    await page.focus("#own-target-url");
    await page.keyboard.type("ftp://example.org/x");
    await page.keyboard.press("Enter");
    await waitForText(page, "#team-problem", "That did not work: only http and https URLs can receive webhooks.");
    await page.fill("#own-target-url", `${phone.url}/dana-topic`);
    await page.keyboard.press("Enter");
    await waitForText(page, "#own-target-state", `dana's own target: ${phone.url}/…opic.`);
    expect(await page.textContent("#team-problem")).toBe("");
    expect(await axeViolations(page)).toEqual([]);

    await server.put("/phones", { timer: 10, user: "dana" });
    const [word] = await phone.waitFor(1);
    expect(word!.body).toBe("▶️ Your turn, dana: 10 min");
    await page.getByRole("button", { name: "Remove", exact: true }).press("Enter");
    await waitForText(page, "#own-target-state", "dana has no target of their own now.");
    expect((await (await server.fetch("/api/rooms/phones/targets")).json()).targets).toEqual([]);
  }, BROWSER_TEST_MS);

  test("a viewer without a name cannot choose it yet, and is told why", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/nameless`);
    await waitForText(page, "#my-turn-hint", "Give your name above to choose this.");
    expect(await page.isDisabled("#my-turn-only")).toBe(true);
    await page.fill("#user-name", "erin");
    await waitForText(page, "#my-turn-hint", "");
    expect(await page.isEnabled("#my-turn-only")).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  }, BROWSER_TEST_MS);
});
