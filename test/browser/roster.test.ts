// The room page's team panel in Chromium: the roster with who is on and who is next, edited
// by keyboard alone (add, move, away, role, remove, shuffle), the cadence, and the server's
// time's up with a break due.
import { describe, expect, test } from "bun:test";
import type { BrowserContext, Page } from "playwright-core";
import { eventually, ManualClock, startServer, type TestServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, observed, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

async function named(context: BrowserContext): Promise<void> {
  await context.addInitScript(`localStorage.setItem("mob-timer.settings", ${JSON.stringify(JSON.stringify({ user: "dana", timer: 10, breaktimer: 5, sound: false }))})`);
}

async function rosterOf(server: TestServer, room: string): Promise<{ name: string; away: boolean; role: string | null; anonymous?: true }[]> {
  return (await (await fetch(`${server.url}/api/rooms/${room}`)).json()).team?.roster?.members ?? [];
}

/** The panel as a viewer reads it: each member's name and status. */
function shown(page: Page): Promise<string[]> {
  return page.$$eval(".member", (items) => items.map((item) => `${item.querySelector(".member-name")!.textContent}${item.getAttribute("data-status") ? ` (${item.getAttribute("data-status")})` : ""}`));
}

/** Waits until the panel shows `expected`. */
async function showsRoster(page: Page, expected: string[]): Promise<void> {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll(".member")].map((item) => `${item.querySelector(".member-name")!.textContent}${item.getAttribute("data-status") ? ` (${item.getAttribute("data-status")})` : ""}`)) === want,
    JSON.stringify(expected),
    { timeout: 5000 },
  ).catch(async () => expect(await shown(page)).toEqual(expected));
}

describe("the team panel", () => {
  test("shows who is on and who is next, and the whole roster is edited with the keyboard", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    await named(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/squad`);
    await waitForText(page, "#kind", "No timer running");
    expect(await page.isVisible("#roster-empty")).toBe(true);
    await server.put("/squad", { timer: 10, user: "alice" });
    await waitForText(page, "#who", "started by alice");

    // Add, by typing and Enter: the roster starts from the room's users.
    await page.focus("#roster-name");
    await page.keyboard.type("bob");
    await page.keyboard.press("Tab");
    await page.keyboard.type("navigator");
    await page.keyboard.press("Enter");
    await showsRoster(page, ["alice (on now)", "bob (next)"]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("roster-name");
    await page.keyboard.type("carol");
    await page.keyboard.press("Enter");
    await showsRoster(page, ["alice (on now)", "bob (next)", "carol"]);

    // Move carol up with the keyboard; the focus follows her.
    await page.getByRole("button", { name: "Move carol up" }).focus();
    await page.keyboard.press("Enter");
    await showsRoster(page, ["alice (on now)", "carol (next)", "bob"]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Move carol up");
    await page.keyboard.press("Enter");
    await showsRoster(page, ["carol", "alice (on now)", "bob (next)"]);

    // Away and back, a role typed in, a member removed.
    await page.getByRole("button", { name: "Mark bob away" }).press("Enter");
    await showsRoster(page, ["carol (next)", "alice (on now)", "bob (away)"]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("bob is back");
    await page.getByRole("textbox", { name: "Role of alice" }).fill("typist");
    await page.keyboard.press("Tab");
    await eventually(async () => (await rosterOf(server, "squad")).some((member) => member.role === "typist"));
    await page.getByRole("button", { name: "Remove carol" }).press("Enter");
    await showsRoster(page, ["alice (on now)", "bob (away)"]);
    expect(await rosterOf(server, "squad")).toEqual([
      { name: "alice", away: false, role: "typist" },
      { name: "bob", away: true, role: "navigator" },
    ]);

    // A name taken out of the statistics and put back, by keyboard; the focus stays on the button.
    await page.getByRole("button", { name: "Hide name of alice in the statistics" }).press("Enter");
    await eventually(async () => (await rosterOf(server, "squad"))[0]?.anonymous === true);
    await page.getByRole("button", { name: "Show name of alice in the statistics" }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Show name of alice in the statistics");
    await page.keyboard.press("Enter");
    await eventually(async () => (await rosterOf(server, "squad"))[0]?.anonymous === undefined);

    // The next timer passes the turn by the roster, skipping bob.
    await page.getByRole("button", { name: "bob is back" }).press("Enter");
    await showsRoster(page, ["alice (on now)", "bob (next)"]);
    await server.put("/squad", { timer: 10, user: "bob" });
    await showsRoster(page, ["alice (next)", "bob (on now)"]);

    await page.getByRole("button", { name: "Shuffle once" }).press("Enter");
    await page.getByRole("button", { name: "Drop the roster" }).press("Enter");
    await page.locator("#roster-empty").waitFor();
    expect(await rosterOf(server, "squad")).toEqual([]);
  }, BROWSER_TEST_MS);

  test("a cadence set on the page makes the server's time's up say a break is due, and tells the viewer who is next", async () => {
    const clock = new ManualClock(Date.now());
    await using server = await startServer({ timeUpMs: 10 }, { clock });
    await using context = await instrumentedContext(chromium.browser);
    await named(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/cadenced`);
    await waitForText(page, "#kind", "No timer running");
    await page.click("#alert");
    for (const name of ["alice", "dana"]) await fetch(`${server.url}/api/rooms/cadenced/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
    await page.fill("#cadence-turns", "1");
    await page.press("#cadence-turns", "Enter");
    await waitForText(page, "#cadence-state", "Suggests a break after 1 turn.");
    await server.put("/cadenced", { timer: 10, user: "alice" });
    await waitForText(page, "#who", "started by alice");
    clock.advance(10 * 60_000);
    await waitForText(page, "#team-notice", "Time is up for alice. You are next. Time for a break: the team's cadence says so.");
    expect((await observed(page)).notifications).toContainEqual({ title: "You are next", body: "Time is up for alice. You are next. Time for a break: the team's cadence says so." });
    expect(await page.getAttribute("#team-notice", "role")).toBe("status");
    await server.put("/cadenced", { breaktimer: 5, user: "alice" });
    await waitForText(page, "#team-notice", "");
  }, BROWSER_TEST_MS);
});

describe("who is here", () => {
  test("the panel marks the members who are here and names who else is, as listeners come and go", async () => {
    await using server = await startServer({ hereMs: 1000 });
    for (const name of ["alice", "dana", "bob"]) await fetch(`${server.url}/api/rooms/present/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
    await using context = await instrumentedContext(chromium.browser);
    await named(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/present`);
    const marked = () => page.$$eval(".member", (items) => items.filter((item) => item.querySelector(".member-here")).map((item) => item.querySelector(".member-name")!.textContent));
    // The viewer gave a name once: the page says it on its connection.
    await page.waitForFunction(() => document.querySelector(".member-here") !== null, undefined, { timeout: 5000 });
    expect(await marked()).toEqual(["dana"]);
    expect(await page.isHidden("#here-others")).toBe(true);
    const erin = new AbortController();
    const stream = await fetch(`${server.url}/present/events?user=erin`, { signal: erin.signal });
    expect(stream.status).toBe(200);
    await waitForText(page, "#here-others", "Also here: erin");
    const alice = new AbortController();
    await fetch(`${server.url}/present/events?user=alice`, { signal: alice.signal });
    await eventually(async () => JSON.stringify(await marked()) === '["alice","dana"]', 5000);
    // The rule is a checkbox of the panel, off by default.
    expect(await page.isChecked("#skip-absent")).toBe(false);
    await page.check("#skip-absent");
    await eventually(async () => (await (await fetch(`${server.url}/api/rooms/present`)).json()).team.roster.skipAbsent === true, 5000);
    // bob is not here and made no change: dana's turn passes over him to alice, and the panel says what the server decided.
    await server.put("/present", { timer: 10, user: "dana" });
    await page.waitForFunction(() => document.querySelector('.member[data-status="next"] .member-name')?.textContent === "alice", undefined, { timeout: 5000 });
    erin.abort();
    alice.abort();
  }, BROWSER_TEST_MS);

  test("a name given after the page opened goes on its connection at once", async () => {
    await using server = await startServer({ hereMs: 1000 });
    await fetch(`${server.url}/api/rooms/later-named/roster`, { method: "POST", body: JSON.stringify({ action: "add", name: "alice" }) });
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/later-named`);
    await page.waitForSelector("#roster-list:not([hidden])");
    expect(await page.isHidden("#here-others")).toBe(true);
    await page.fill("#user-name", "zoe");
    await page.press("#user-name", "Tab");
    await waitForText(page, "#here-others", "Also here: zoe");
  }, BROWSER_TEST_MS);
});
