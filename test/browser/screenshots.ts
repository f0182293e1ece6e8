// Screenshots of the room page in light and dark, wide and narrow, with a day of history,
// a goal and a running timer: `bun test/browser/screenshots.ts`, then look in ./screenshots/.
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
      await page.goto(`${server.url}/design-review`);
      await page.locator("#who", { hasText: "alice" }).waitFor();
      const path = `screenshots/room-${colorScheme}-${width}.png`;
      await page.screenshot({ path, fullPage: true });
      console.log(path);
      await context.close();
    }
  }
} finally {
  await browser.close();
}
