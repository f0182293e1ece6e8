// The room page's statistics panel in Chromium: a team's room with a week of turns shows it
// (a private one to those with its key), a room that never opted in shows none and never
// asks, a time's up brings new numbers, and on a phone it fits the screen with its labels at a readable size.
import { describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { CHEAP_KEY_HASHING, ManualClock, startServer, type TestServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, observed, sharedChromium, waitForText } from "./chromium.ts";
import { TEAM_WEEK_ROOM, teamWeek } from "./states.ts";

const chromium = sharedChromium();

/** A server whose clock is real but set back while the team's week is written. */
async function serverWithTeamWeek(): Promise<TestServer> {
  let behindMs = 0;
  const server = await startServer({}, { clock: { now: () => Date.now() - behindMs }, hashing: CHEAP_KEY_HASHING });
  await teamWeek(server, (ms) => (behindMs = ms));
  behindMs = 0;
  return server;
}

/** The requests for a panel that a page makes. */
function panelRequests(page: Page): string[] {
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/stats/panel")) asked.push(request.url());
  });
  return asked;
}

describe("the statistics panel", () => {
  test("a team's room shows its week: the totals, turns and minutes as images with their numbers, and the table", async () => {
    await using server = await serverWithTeamWeek();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/${TEAM_WEEK_ROOM}`);
    await waitForText(page, "#rotation-heading", "Rotation, the last 7 days");
    expect(await page.isVisible("#rotation")).toBe(true);
    // A heading among the page's others, and named as the section's.
    expect(await page.getAttribute("#rotation", "aria-labelledby")).toBe("rotation-heading");
    const images = await page.$$eval("#rotation svg", (svgs) => svgs.map((svg) => `${svg.getAttribute("role")}: ${svg.getAttribute("aria-label")}`));
    expect(images).toHaveLength(2);
    expect(images[0]).toMatch(/^img: Turns per person: alice \d+, bob \d+, carol \d+\.$/);
    expect(images[1]).toMatch(/^img: Minutes of work per person: alice \d+, bob \d+, carol \d+\.$/);
    const rows = await page.$$eval("#rotation tbody tr", (trs) => trs.map((tr) => tr.querySelector("th")!.textContent));
    expect(rows).toEqual(["alice", "bob", "carol"]);
    expect(await page.textContent("#rotation")).toMatch(/Spread: most \d+ turns \(\w+\), least \d+/);
    expect((await observed(page)).violations).toEqual([]);
  }, BROWSER_TEST_MS);

  test("a room that never opted in shows no panel and never asks for one", async () => {
    await using server = await startServer();
    await server.put("/plain", { timer: 10, user: "alice" });
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    const asked = panelRequests(page);
    await page.goto(`${server.url}/plain`);
    await waitForText(page, "#who", /alice/);
    // The page has heard the whole opening of the room: a team's would have come with it.
    await server.put("/plain/goal", { goal: "ship it", user: "bob" });
    await waitForText(page, "#goal-text", "ship it");
    expect(await page.isHidden("#rotation")).toBe(true);
    expect(await page.innerHTML("#rotation")).toBe("");
    expect(asked).toEqual([]);
  }, BROWSER_TEST_MS);

  test("a private team's room shows its panel only to a page with the key", async () => {
    await using server = await serverWithTeamWeek();
    const claim = await server.fetch(`/api/rooms/${TEAM_WEEK_ROOM}/owner`, { method: "POST", body: '{"private":true}' });
    const { key } = (await claim.json()) as { key: string };
    expect((await server.fetch(`/api/rooms/${TEAM_WEEK_ROOM}/stats/panel`)).status).toBe(401);
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    const asked = panelRequests(page);
    await page.goto(`${server.url}/${TEAM_WEEK_ROOM}`);
    await waitForText(page, "#owner-watching-text", /This room is private/);
    expect(await page.isHidden("#rotation")).toBe(true);
    expect(asked).toEqual([]);
    // A member's link, opened anew: the page keeps the key and sends it.
    const member = await context.newPage();
    await member.goto(`${server.url}/${TEAM_WEEK_ROOM}#key=${key}`);
    await waitForText(member, "#rotation-heading", "Rotation, the last 7 days");
    expect(await member.$$eval("#rotation tbody th", (ths) => ths.map((th) => th.textContent))).toEqual(["alice", "bob", "carol"]);
  }, BROWSER_TEST_MS);

  test("a turn's time's up brings the panel its new numbers", async () => {
    const clock = new ManualClock(Date.now());
    await using server = await startServer({ timeUpMs: 10 }, { clock });
    for (const name of ["alice", "bob"]) await server.fetch("/api/rooms/turning/roster", { method: "POST", body: JSON.stringify({ action: "add", name }) });
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/turning`);
    await waitForText(page, "#rotation", /No turns in these days yet/);
    await server.put("/turning", { timer: 10, user: "alice" });
    await waitForText(page, "#who", /alice/);
    // Nothing more happens in the room but the end of alice's turn, which the server announces.
    clock.advance(10 * 60_000);
    await waitForText(page, "#team-notice", /Time is up for alice/);
    await waitForText(page, "#rotation tbody", /alice\s*1\s*10/);
  }, BROWSER_TEST_MS);

  test("on a phone the panel fits the screen, its labels as large as the page's small print", async () => {
    await using server = await serverWithTeamWeek();
    await using context = await instrumentedContext(chromium.browser, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/${TEAM_WEEK_ROOM}`);
    await waitForText(page, "#rotation-heading", "Rotation, the last 7 days");
    const fit = await page.evaluate(() => {
      const panel = document.getElementById("rotation")!;
      const right = Math.max(...[...panel.querySelectorAll("*")].map((el) => el.getBoundingClientRect().right));
      const ticks = [...panel.querySelectorAll(".chart-tick")].map((text) => text.getBoundingClientRect().height);
      return { right, width: document.documentElement.clientWidth, page: document.documentElement.scrollWidth, smallestLabel: Math.min(...ticks) };
    });
    expect(fit.right).toBeLessThanOrEqual(fit.width);
    expect(fit.page).toBeLessThanOrEqual(fit.width);
    // A text box is about 1.2 times its font's size: 11 px and more.
    expect(fit.smallestLabel).toBeGreaterThanOrEqual(13);
  }, BROWSER_TEST_MS);
});
