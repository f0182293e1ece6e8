// axe-core on every page and every state of the room: no violations at all, and no request
// to any other host. Light on a wide screen and dark on a phone cover both colour schemes
// (contrast) and both layouts, one file each so that parallel test workers share them out.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestServer } from "../helpers.ts";
import { axeViolations, sharedChromium } from "./chromium.ts";
import { STATES, showState, startStatesServer, type Shot } from "./states.ts";

/** The accessibility check of every state in one colour scheme and window size. */
export function accessibilitySuite(colorScheme: "light" | "dark", width: number, height: number): void {
  const chromium = sharedChromium();
  let server: TestServer;
  beforeAll(async () => {
    server = await startStatesServer();
  });
  afterAll(() => server.close());

  describe("accessibility", () => {
    test(`axe-core finds nothing and nothing loads from elsewhere, on any page or room state, ${colorScheme}, ${width} px wide`, async () => {
      const found: Record<string, unknown> = {};
      const foreign: string[] = [];
      const check = async ([name, shot]: [string, Shot]) => {
        const context = await chromium.browser.newContext({ colorScheme, viewport: { width, height } });
        // The offline state runs a server of its own, on another port of this machine.
        context.on("request", (request) => {
          if (new URL(request.url()).hostname !== "127.0.0.1") foreign.push(`${name}: ${request.url()}`);
        });
        try {
          const violations = await axeViolations(await showState(context, server, shot));
          if (violations.length) found[name] = violations;
        } finally {
          await context.close();
        }
      };
      // Two states at a time: much of a state's time is waiting for its page to settle.
      const queue = Object.entries(STATES);
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await check(next);
      };
      await Promise.all([worker(), worker()]);
      expect(found).toEqual({});
      expect(foreign).toEqual([]);
    }, 120_000);
  });
}
