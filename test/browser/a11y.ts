// axe-core on every page and every state of the room: no violations at all, and no request
// to any other host. Each state is checked light on a wide screen and dark on a phone, which
// cover both colour schemes (contrast) and both layouts: the page is set up once, checked,
// then switched to the other scheme and size (the pages follow both through CSS alone) and
// checked again. Each file checks every other state (`part` of `parts`), so that parallel
// test workers share them out.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Page } from "playwright-core";
import type { TestServer } from "../helpers.ts";
import { axeViolations, sharedChromium } from "./chromium.ts";
import { STATES, showState, startStatesServer, type Shot } from "./states.ts";

/** A colour scheme and a window size that a state is checked in. */
interface Look {
  colorScheme: "light" | "dark";
  width: number;
  height: number;
}

const LOOKS: readonly Look[] = [
  { colorScheme: "light", width: 1366, height: 768 },
  { colorScheme: "dark", width: 390, height: 844 },
];

async function lookLike(page: Page, look: Look): Promise<void> {
  await page.emulateMedia({ colorScheme: look.colorScheme });
  await page.setViewportSize({ width: look.width, height: look.height });
}

/** The accessibility check, in every look, of the states whose place in STATES is `part` modulo `parts`. */
export function accessibilitySuite(part: number, parts: number): void {
  const names = Object.keys(STATES).filter((_, i) => i % parts === part);
  const chromium = sharedChromium();
  let server: TestServer;
  beforeAll(async () => {
    server = await startStatesServer();
  });
  afterAll(() => server.close());

  describe("accessibility", () => {
    test(`axe-core finds nothing and nothing loads from elsewhere, on the pages and room states ${part + 1} of every ${parts}, light 1366 px and dark 390 px wide`, async () => {
      const found: Record<string, unknown> = {};
      const foreign: string[] = [];
      const check = async ([name, shot]: [string, Shot]) => {
        const [first, ...others] = LOOKS;
        const context = await chromium.browser.newContext({ colorScheme: first!.colorScheme, viewport: { width: first!.width, height: first!.height } });
        // The offline state runs a server of its own, on another port of this machine.
        context.on("request", (request) => {
          if (new URL(request.url()).hostname !== "127.0.0.1") foreign.push(`${name}: ${request.url()}`);
        });
        try {
          const page = await showState(context, server, shot);
          for (const look of [first!, ...others]) {
            if (look !== first) await lookLike(page, look);
            const violations = await axeViolations(page);
            if (violations.length) found[`${name}, ${look.colorScheme}, ${look.width} px`] = violations;
          }
        } finally {
          await context.close();
        }
      };
      // Two states at a time: much of a state's time is waiting for its page to settle.
      const queue = names.map((name): [string, Shot] => [name, STATES[name]!]);
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await check(next);
      };
      await Promise.all([worker(), worker()]);
      expect(found).toEqual({});
      expect(foreign).toEqual([]);
    }, 120_000);
  });
}
