// Screenshots of every page in light and dark, wide and narrow; the room with a day of
// history, a goal and a running timer, and a room whose timer has run out: `bun test/browser/screenshots.ts`, then look in ./screenshots/.
import { mkdir } from "node:fs/promises";
import { ManualClock, startServer } from "../helpers.ts";
import { launchChromium } from "./chromium.ts";

const MINUTE = 60_000;
const clock = new ManualClock(Date.now() - 5 * 60 * MINUTE);
await using server = await startServer({}, { clock });
const team = ["alice", "bob", "carol"];
for (let round = 0; round < 9; round++) {
  const user = team[round % team.length]!;
  await server.put("/design-review", { timer: 15, user });
  clock.advance(16 * MINUTE);
  if (round % 3 === 2) {
    await server.put("/design-review", { breaktimer: 10, user });
    clock.advance(25 * MINUTE);
  }
}
clock.advance(Date.now() - 3 * MINUTE - 20_000 - clock.now());
await server.put("/design-review", { timer: 10, user: "alice" });
await server.put("/design-review/goal", { goal: "Checkout flow accepts saved cards", user: "bob" });
await server.put("/retro", { timer: 1, user: "carol" });
await server.put("/retro", { timer: 2, user: "dana" });

/** Page path → what to wait for before the picture. */
const SHOTS: Record<string, [string, string]> = {
  "room": ["/design-review", "#who:has-text('alice')"],
  "room-done": ["/retro", "#done:visible"],
  "index": ["/", "#room"],
  "help": ["/help", "h1"],
  "stats": ["/stats", "table"],
};

await mkdir("screenshots", { recursive: true });
const browser = await launchChromium();
try {
  for (const colorScheme of ["light", "dark"] as const) {
    for (const width of [1280, 360]) {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 900 } });
      await context.addInitScript(() =>
        localStorage.setItem("mob-timer.settings", JSON.stringify({ user: "dana", timer: 15, breaktimer: 5, sound: true })),
      );
      const page = await context.newPage();
      for (const [name, [path, ready]] of Object.entries(SHOTS)) {
        await page.goto(`${server.url}${path}`);
        await page.locator(ready).first().waitFor();
        const file = `screenshots/${name}-${colorScheme}-${width}.png`;
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
