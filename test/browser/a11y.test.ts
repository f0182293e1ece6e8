// axe-core on every page and every state of the room: no violations at all. Light on a wide
// screen and dark on a phone cover both colour schemes (contrast) and both layouts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestServer } from "../helpers.ts";
import { axeViolations, sharedChromium } from "./chromium.ts";
import { STATES, showState, startStatesServer } from "./states.ts";

const chromium = sharedChromium();
let server: TestServer;
beforeAll(async () => {
  server = await startStatesServer();
});
afterAll(() => server.close());

describe("accessibility", () => {
  for (const [colorScheme, width, height] of [["light", 1366, 768], ["dark", 390, 844]] as const) {
    {
      test(`axe-core finds nothing on any page or room state, ${colorScheme}, ${width} px wide`, async () => {
        const found: Record<string, unknown> = {};
        for (const [name, shot] of Object.entries(STATES)) {
          const context = await chromium.browser.newContext({ colorScheme, viewport: { width, height } });
          try {
            const violations = await axeViolations(await showState(context, server, shot));
            if (violations.length) found[name] = violations;
          } finally {
            await context.close();
          }
        }
        expect(found).toEqual({});
      }, 120_000);
    }
  }
});
