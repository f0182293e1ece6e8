// axe-core on every page and every state of the room: no violations at all, and no request
// to any other host. Each state is checked light on a wide screen and dark on a phone, which
// cover both colour schemes (contrast) and both layouts: the page is set up once, checked,
// then switched to the other scheme and size (the pages follow both through CSS alone) and
// checked again. Each file checks every other state (`part` of `parts`), so that parallel
// test workers share them out.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import type { TestServer } from "../helpers.ts";
import { axeViolations, sharedChromium } from "./chromium.ts";
import { asViewer, showOn, STATES, startStatesServer, type Shot } from "./states.ts";

/** A colour scheme and a window size that a state is checked in. */
interface Look {
  colorScheme: "light" | "dark";
  width: number;
  height: number;
}

const LOOKS = [
  { colorScheme: "light", width: 1366, height: 768 },
  { colorScheme: "dark", width: 390, height: 844 },
] as const satisfies readonly Look[];

async function lookLike(page: Page, look: Look): Promise<void> {
  await page.emulateMedia({ colorScheme: look.colorScheme });
  await page.setViewportSize({ width: look.width, height: look.height });
}

/** What a state was found to break, by state and look, and what was asked of other hosts. */
interface Findings {
  found: Record<string, unknown>;
  foreign: string[];
}

/**
 * A viewer's page that shows one state after another. A page of its own for each state would
 * start a renderer for each, which costs the browser more than setting up and checking the
 * state; between states, the page is set back to what a new one is: no routes, the first
 * look, and nothing stored by the pages.
 */
async function openViewer(browser: Browser, server: TestServer, fresh: boolean, findings: Findings) {
  const [first] = LOOKS;
  const context = await browser.newContext({ colorScheme: first.colorScheme, viewport: { width: first.width, height: first.height } });
  let showing = "";
  // The offline state runs a server of its own, on another port of this machine.
  context.on("request", (request) => {
    if (new URL(request.url()).hostname !== "127.0.0.1") findings.foreign.push(`${showing}: ${request.url()}`);
  });
  await asViewer(context, fresh);
  const page = await context.newPage();
  const devtools = await context.newCDPSession(page);
  return {
    async check(name: string, shot: Shot): Promise<void> {
      showing = name;
      await page.unrouteAll();
      await lookLike(page, first);
      await devtools.send("Storage.clearDataForOrigin", { origin: new URL(server.url).origin, storageTypes: "local_storage" });
      await showOn(page, server, shot);
      for (const look of LOOKS) {
        if (look !== first) await lookLike(page, look);
        const violations = await axeViolations(page);
        if (violations.length) findings.found[`${name}, ${look.colorScheme}, ${look.width} px`] = violations;
      }
    },
    close: () => context.close(),
  };
}

type Viewer = Awaited<ReturnType<typeof openViewer>>;

/** The accessibility check, in every look, of the states whose place in STATES is `part` modulo `parts`. */
export function accessibilitySuite(part: number, parts: number): void {
  const chromium = sharedChromium();
  let server: TestServer;
  beforeAll(async () => {
    server = await startStatesServer();
  });
  afterAll(() => server.close());

  describe("accessibility", () => {
    test(`axe-core finds nothing and nothing loads from elsewhere, on the pages and room states ${part + 1} of every ${parts}, light 1366 px and dark 390 px wide`, async () => {
      const findings: Findings = { found: {}, foreign: [] };
      const queue = Object.entries(STATES).filter((_, i) => i % parts === part);
      // Two states at a time: much of a state's time is waiting for its page to settle.
      const worker = async () => {
        let dana: Viewer | undefined;
        try {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const [name, shot] = next;
            if (!shot.fresh) {
              dana ??= await openViewer(chromium.browser, server, false, findings);
              await dana.check(name, shot);
              continue;
            }
            const newcomer = await openViewer(chromium.browser, server, true, findings);
            try {
              await newcomer.check(name, shot);
            } finally {
              await newcomer.close();
            }
          }
        } finally {
          await dana?.close();
        }
      };
      await Promise.all([worker(), worker()]);
      expect(findings.found).toEqual({});
      expect(findings.foreign).toEqual([]);
    }, 120_000);
  });
}
