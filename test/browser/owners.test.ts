// A room a team owns, on its page in headless Chromium: claiming it, sharing the viewers'
// and the members' links, watching without the key, and a private room.
import { describe, expect, test } from "bun:test";
import { CHEAP_KEY_HASHING, startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

describe("a room a team owns", () => {
  test("claiming keeps the key in this browser; the viewers' link watches without controls, the members' link joins and leaves no key in the address bar", async () => {
    await using server = await startServer({}, { hashing: CHEAP_KEY_HASHING });
    await using owner = await instrumentedContext(chromium.browser);
    const page = await owner.newPage();
    await page.goto(`${server.url}/crew`);
    await page.click("#owner-claim button[type=submit]");
    await waitForText(page, "#owner-member-text", /Your team owns this room/);
    const viewerLink = (await page.textContent("#owner-viewer-link"))!;
    const memberLink = (await page.textContent("#owner-member-link"))!;
    expect(viewerLink).toBe(`${server.url}/crew`);
    const key = memberLink.split("#key=")[1]!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.textContent("#owner-env-url")).toBe(`export MOB_TIMER_URL=${server.url.replace("//", `//team:${key}@`)}/`);
    // The member's own page still changes the room, sending the key with each change.
    await page.click("#start-timer");
    await page.click("#name-skip");
    await waitForText(page, "#kind", /Work/);

    await using viewer = await instrumentedContext(chromium.browser);
    const watching = await viewer.newPage();
    await watching.goto(viewerLink);
    await waitForText(watching, "#owner-watching-text", /claimed by its team: only they can change it/);
    expect(await watching.isVisible("#start-timer")).toBe(false);
    expect(await watching.isVisible("#goal-form")).toBe(false);
    await fetch(`${server.url}/crew/goal`, { method: "PUT", headers: { "X-Room-Key": key }, body: '{"goal":"ship it","user":"m"}' });
    await waitForText(watching, "#goal-text", "ship it");

    await using member = await instrumentedContext(chromium.browser);
    const joining = await member.newPage();
    await joining.goto(memberLink);
    await waitForText(joining, "#owner-member-text", /Your team owns this room/);
    expect(joining.url()).toBe(`${server.url}/crew`);
    expect(await joining.isVisible("#start-break")).toBe(true);
    await joining.click("#start-break");
    await joining.click("#name-skip");
    await waitForText(watching, "#kind", /Break/);
  }, BROWSER_TEST_MS);

  test("a private room shows nothing without the key; entering it shows the room, and a wrong one is refused", async () => {
    await using server = await startServer({}, { hashing: CHEAP_KEY_HASHING });
    const res = await fetch(`${server.url}/api/rooms/vault/owner`, { method: "POST", body: '{"private":true}' });
    const { key } = (await res.json()) as { key: string };
    await fetch(`${server.url}/vault/goal`, { method: "PUT", headers: { "X-Room-Key": key }, body: '{"goal":"quiet plans"}' });

    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/vault`);
    await waitForText(page, "#owner-watching-text", /This room is private/);
    await page.fill("#owner-key", "not-it");
    await page.click("#owner-enter button[type=submit]");
    await waitForText(page, "#owner-problem", "That is not this room's key.");
    expect(await page.textContent("#goal-text")).not.toContain("quiet plans");

    await page.fill("#owner-key", key);
    await page.click("#owner-enter button[type=submit]");
    await waitForText(page, "#goal-text", "quiet plans");
    await waitForText(page, "#owner-member-text", /owns this private room/);

    // Another member rotates the key: this page loses the room, and says why.
    await fetch(`${server.url}/api/rooms/vault/owner/key`, { method: "POST", headers: { "X-Room-Key": key } });
    await waitForText(page, "#owner-watching-text", /no longer this room's/);
    expect(await page.evaluate(() => localStorage.getItem("mob-timer.room-key.vault"))).toBeNull();
  }, BROWSER_TEST_MS);

  test("a member rotates the key from the page, which keeps the new one, and releases the room", async () => {
    await using server = await startServer({}, { hashing: CHEAP_KEY_HASHING });
    const res = await fetch(`${server.url}/api/rooms/handover/owner`, { method: "POST" });
    const { key } = (await res.json()) as { key: string };
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/handover#key=${key}`);
    await waitForText(page, "#owner-member-text", /Your team owns this room/);
    await page.click("#owner-rotate");
    await waitForText(page, "#owner-member-link", new RegExp(`#key=(?!${key})[A-Za-z0-9_-]{43}$`));
    const rotated = (await page.textContent("#owner-member-link"))!.split("#key=")[1]!;
    const put = (k: string) => fetch(`${server.url}/handover`, { method: "PUT", headers: { "X-Room-Key": k }, body: '{"timer":5}' });
    expect((await put(key)).status).toBe(401);
    expect((await put(rotated)).status).toBe(202);

    await page.click("#owner-release");
    await page.waitForSelector("#owner-claim", { state: "visible" });
    expect((await fetch(`${server.url}/handover`, { method: "PUT", body: '{"timer":5}' })).status).toBe(202);
  }, BROWSER_TEST_MS);
});
