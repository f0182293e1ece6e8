// `npm run screenshots`: every page, and the room in each of its states, at desktop and
// phone width, light and dark, into dist/screenshots/, so that a reviewer can look at every
// state without clicking through it. `npm run screenshots -- done` takes only the states
// whose name contains "done".
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { launchChromium } from "./chromium.ts";
import { STATES, showState, startStatesServer } from "./states.ts";

const OUT = join(import.meta.dir, "..", "..", "dist", "screenshots");
await using server = await startStatesServer();
const only = process.argv[2];
await mkdir(OUT, { recursive: true });
const browser = await launchChromium();
try {
  for (const colorScheme of ["light", "dark"] as const) {
    for (const [width, height] of [[1366, 768], [390, 844]] as const) {
      for (const [name, shot] of Object.entries(STATES)) {
        if (only && !name.includes(only)) continue;
        const context = await browser.newContext({ colorScheme, viewport: { width, height } });
        try {
          const page = await showState(context, server, shot);
          const file = join(OUT, `${name}-${colorScheme}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          console.log(file);
        } finally {
          await context.close();
        }
      }
    }
  }
} finally {
  await browser.close();
}
