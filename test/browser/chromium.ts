// Debian's Chromium, driven by playwright-core (the tests never download a browser build),
// and what the browser tests need around it: instrumented contexts and waiting for text.
import { beforeAll } from "bun:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A slow CI machine needs room: a browser test waits for conditions, never for fixed times. */
export const BROWSER_TEST_MS = 20_000;

/**
 * Chromium launched once per test process: files run one after another in a process (and
 * each --parallel worker keeps its modules), so every browser test file shares it, with a
 * context of its own per test. Playwright closes it when the process exits.
 */
let launching: Promise<Browser> | undefined;

/** The process's one Chromium, ready before the file's first test. */
export function sharedChromium(): { readonly browser: Browser } {
  let launched: Browser | undefined;
  beforeAll(async () => {
    launching ??= launchChromium();
    launched = await launching;
  });
  return {
    get browser() {
      if (!launched) throw new Error("Chromium is not running: use it inside a test");
      return launched;
    },
  };
}

/** What the page did that a test cannot see on screen, collected by INSTRUMENT. */
export interface Observed {
  notifications: { title: string; body: string }[];
  permissionRequests: number;
  oscillatorStarts: number;
  violations: string[];
}

/**
 * Headless Chromium lets any page play sound (it ignores --autoplay-policy); desktop
 * browsers keep a page's audio suspended until the viewer's first click or key press. This
 * init script makes the page's AudioContext behave as on the desktop.
 */
export const DESKTOP_AUTOPLAY = `
{
  const NativeAudioContext = window.AudioContext;
  window.AudioContext = class extends NativeAudioContext {
    constructor(...args) {
      super(...args);
      if (!navigator.userActivation.hasBeenActive) super.suspend();
    }
    resume() {
      if (navigator.userActivation.hasBeenActive) return super.resume();
      return Promise.reject(new DOMException("The viewer has not interacted with the page", "NotAllowedError"));
    }
  };
}
`;

// Runs before the page's own scripts: audio blocked as on the desktop, a Notification that
// records instead of showing, a count of every oscillator started, and every
// Content-Security-Policy violation.
const INSTRUMENT = DESKTOP_AUTOPLAY + `
window.__observed = { notifications: [], permissionRequests: 0, oscillatorStarts: 0, violations: [] };
class RecordingNotification {
  static permission = "default";
  static async requestPermission() {
    window.__observed.permissionRequests++;
    RecordingNotification.permission = "granted";
    return "granted";
  }
  constructor(title, options) {
    window.__observed.notifications.push({ title, body: options && options.body });
  }
}
window.Notification = RecordingNotification;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__observed.oscillatorStarts++;
  return start.apply(this, args);
};
document.addEventListener("securitypolicyviolation", (e) => window.__observed.violations.push(e.violatedDirective + " " + e.blockedURI));
`;

/** A fresh, instrumented browser context, closed by `await using` at the end of its scope. */
export async function instrumentedContext(
  browser: Browser,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<BrowserContext & AsyncDisposable> {
  const context = await browser.newContext(options);
  await context.addInitScript(INSTRUMENT);
  return Object.assign(context, { [Symbol.asyncDispose]: () => context.close() });
}

export function observed(page: Page): Promise<Observed> {
  return page.evaluate(() => (window as unknown as { __observed: Observed }).__observed);
}

/** Waits until the element's text equals or matches `expected`, and returns that text. */
export async function waitForText(page: Page, selector: string, expected: string | RegExp, timeout = 10_000): Promise<string> {
  const pattern = typeof expected === "string" ? { exact: expected } : { source: expected.source, flags: expected.flags };
  try {
    await page.waitForFunction(
      ({ selector, pattern }) => {
        const text = document.querySelector(selector)?.textContent;
        if (text === null || text === undefined) return false;
        return "exact" in pattern ? text === pattern.exact : new RegExp(pattern.source, pattern.flags).test(text);
      },
      { selector, pattern },
      { timeout, polling: 100 },
    );
  } catch {
    throw new Error(`${selector} did not show ${String(expected)}; it shows ${JSON.stringify(await page.textContent(selector))}`);
  }
  return (await page.textContent(selector)) ?? "";
}

/** Waits until `check` holds inside the page. */
export async function waitUntil(page: Page, check: () => boolean, timeout = 10_000): Promise<void> {
  await page.waitForFunction(check, undefined, { timeout, polling: 100 });
}

/** What axe-core found wrong: each rule broken, with how bad and where. */
export interface AxeViolation {
  rule: string;
  impact: string | null;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core in the page and returns its violations. The pages' Content-Security-Policy
 * blocks an injected <script>, so the source is evaluated through the DevTools protocol,
 * which the policy does not govern.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await Bun.file(require.resolve("axe-core/axe.min.js")).text();
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    interface AxeResults {
      violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
    }
    const results = await axe.run(document, { resultTypes: ["violations"] });
    return results.violations.map((v) => ({ rule: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}
