// The room as an installed app: a web manifest Chromium reads without errors, whose icon loads.
import { describe, expect, test } from "bun:test";
import { startServer } from "../helpers.ts";
import { BROWSER_TEST_MS, instrumentedContext, sharedChromium, waitForText } from "./chromium.ts";

const chromium = sharedChromium();

describe("installing", () => {
  test("the room page has a web manifest that Chromium reads without errors, so that it installs as an app of its own", async () => {
    await using server = await startServer();
    await using context = await instrumentedContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/pinned`);
    await waitForText(page, "#kind", "No timer running");
    const cdp = await context.newCDPSession(page);
    const { url, errors, data } = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[]; data?: string };
    expect(url).toMatch(/\/assets\/manifest\.[0-9a-f]{16}\.webmanifest$/);
    expect(errors).toEqual([]);
    const manifest = JSON.parse(data!);
    expect(manifest).toMatchObject({ name: "mob timer", display: "standalone" });
    // The start page under the server's base path, whose recent rooms lead to the room.
    expect(new URL(manifest.start_url, url).href).toBe(`${server.url}/`);
    for (const icon of manifest.icons) {
      const response = await fetch(new URL(icon.src, url));
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe(icon.type);
    }
    expect(await page.getAttribute('meta[name="theme-color"]', "content")).toBeTruthy();
    // Headless contexts are incognito, which alone stops an install.
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual(["in-incognito"]);
  }, BROWSER_TEST_MS);
});
