// The pages and the room's states, set up on a real server with a day of history: what the
// screenshots show and what the accessibility check runs on.
import type { BrowserContext, Page } from "playwright-core";
import { startServer, type TestServer } from "../helpers.ts";
import { DESKTOP_AUTOPLAY } from "./chromium.ts";

const MINUTE = 60_000;

/** A server whose rooms are ready for every state in STATES; the caller closes it. */
export async function startStatesServer(): Promise<TestServer> {
  /** Real time, set back while the day's history is written. */
  let behindMs = 0;
  const server = await startServer({}, { clock: { now: () => Date.now() - behindMs } });

  /** Changes to make as if each happened `ago` milliseconds before now. */
  const changes: [ago: number, path: string, body: unknown][] = [];

  // A day of a team's work, a goal and a running timer.
  const team = ["alice", "bob", "carol"];
  for (let round = 0; round < 9; round++) {
    const user = team[round % team.length]!;
    changes.push([(5 * 60 - round * 30) * MINUTE, "/design-review", { timer: 15, user }]);
    if (round % 3 === 2) changes.push([(5 * 60 - round * 30 - 16) * MINUTE, "/design-review", { breaktimer: 10, user }]);
  }
  changes.push(
    [3 * MINUTE + 20_000, "/design-review", { timer: 10, user: "alice" }],
    [MINUTE, "/design-review/goal", { goal: "Checkout flow accepts saved cards", user: "bob" }],
    [2 * MINUTE, "/coffee", { breaktimer: 10, user: "bob" }],
    [5 * MINUTE, "/retro", { timer: 2, user: "carol" }],
    [3 * MINUTE + 5_000, "/retro", { timer: 3, user: "dana" }],
    [17 * MINUTE, "/long-ago", { timer: 5, user: "erin" }],
    [4 * MINUTE, "/halted", { timer: 10, user: "alice" }],
    [MINUTE, "/halted", { timer: 0, user: "bob" }],
    [MINUTE, "/essay", { timer: 25, user: "frank" }],
    [
      MINUTE,
      "/essay/goal",
      {
        goal: "Make the import job resumable: ".concat("keep a cursor per file, retry a failed batch with backoff, ".repeat(3), "and report what was skipped"),
        user: "frank",
      },
    ],
  );
  // A team's week, before the day's changes: days older than any of them.
  await teamWeek(server, (ms) => (behindMs = ms));
  // In the order they happened: the server's write limit trusts its clock to move forward.
  for (const [ms, path, body] of changes.sort((a, b) => b[0] - a[0])) {
    behindMs = ms;
    const response = await server.put(path, body);
    if (response.status !== 202) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
  behindMs = 0;
  return server;
}

/** The room of a team that took turns every day of the last week: its page shows the statistics panel. */
export const TEAM_WEEK_ROOM = "our-mob";

/**
 * Six days of a team's turns in TEAM_WEEK_ROOM, made at the times they would have happened
 * (`setBack` sets the server's clock back that far): a roster of three, from a week ago, and
 * every day 15-minute turns in its order, then alice and bob alone, longer each day further back.
 */
export async function teamWeek(server: TestServer, setBack: (ms: number) => void): Promise<void> {
  const at = async (ago: number, path: string, init: RequestInit) => {
    setBack(ago);
    const response = await server.fetch(path, init);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  const team = ["alice", "bob", "carol"];
  const week = 7 * 24 * 60 * MINUTE;
  for (const name of team) await at(week, `/api/rooms/${TEAM_WEEK_ROOM}/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
  for (let day = 6; day >= 1; day--) {
    const morning = day * 24 * 60 * MINUTE;
    for (let turn = 0; turn < 6 + day; turn++) {
      const user = turn >= 6 ? team[turn % 2]! : team[turn % 3]!;
      await at(morning - turn * 15 * MINUTE, `/${TEAM_WEEK_ROOM}`, { method: "PUT", body: JSON.stringify({ timer: 15, user }) });
    }
  }
}

export interface Shot {
  path: string;
  /** What shows once the page is ready for its picture. */
  ready: string;
  /** Done in the page before the picture. */
  act?: (page: Page, server: TestServer) => Promise<void>;
  /** A new viewer, who has not told the page a name yet. */
  fresh?: boolean;
}

export const STATES: Record<string, Shot> = {
  "room-loading": {
    path: "/design-review",
    ready: "#countdown",
    act: async (page) => {
      await page.route("**/events", () => {});
      await page.reload();
    },
  },
  "room-idle": { path: "/empty-room", ready: "#kind:text('No timer running')" },
  "room-running": { path: "/design-review", ready: "#who:has-text('alice')" },
  "room-break": { path: "/coffee", ready: "#kind:text('Break')" },
  "room-last-minute": {
    path: "/last-minute",
    ready: "#kind",
    act: async (page, server) => {
      await server.put("/last-minute", { timer: 1, user: "carol" });
      await page.locator("#app[data-last-minute] #countdown:text('00:5')").waitFor();
    },
  },
  "room-time-is-up": { path: "/retro", ready: "#done:visible" },
  "room-time-is-up-12-min-ago": { path: "/long-ago", ready: "#countdown-label:has-text('minutes ago')" },
  "room-stopped": { path: "/halted", ready: "#who:has-text('stopped')" },
  "room-long-goal": { path: "/essay", ready: "#goal-text:has-text('resumable')" },
  "room-long-goal-whole": {
    path: "/essay",
    ready: "#goal-more",
    act: async (page) => {
      await page.click("#goal-more");
      await page.locator("#goal-more[aria-expanded=true]").waitFor();
    },
  },
  "room-history-all": {
    path: "/design-review",
    ready: "#history-more",
    act: async (page) => {
      await page.click("#history-more");
      await page.locator("#history-more[aria-expanded=true]").waitFor();
    },
  },
  "room-undo": {
    path: "/replaced",
    ready: "#kind",
    act: async (page, server) => {
      await server.put("/replaced", { timer: 15, user: "alice" });
      await page.locator("#who:has-text('alice')").waitFor();
      await page.click('[data-start="timer"][data-minutes="10"]');
      await page.locator("#undo").waitFor();
    },
  },
  "room-name-prompt": {
    path: "/empty-room",
    ready: "#kind:text('No timer running')",
    fresh: true,
    act: async (page) => {
      await page.click("#start-timer");
      await page.locator("#name-dialog").waitFor();
    },
  },
  "room-offline": {
    path: "/design-review",
    ready: "#who:has-text('alice')",
    act: async (page) => {
      // A server of its own, stopped while the page watches.
      const gone = await startServer();
      await gone.put("/design-review", { timer: 15, user: "alice" });
      await page.goto(`${gone.url}/design-review`);
      await page.locator("#who:has-text('alice')").waitFor();
      await gone.close();
      await page.locator("#connection-text").waitFor();
    },
  },
  "room-team": {
    path: "/mob-team",
    ready: "#kind",
    act: async (page, server) => {
      const roster = (body: object) => fetch(`${server.url}/api/rooms/mob-team/roster`, { method: "POST", body: JSON.stringify(body) });
      await server.put("/mob-team", { timer: 15, user: "alice" });
      await roster({ action: "add", name: "bob", role: "navigator" });
      await roster({ action: "add", name: "carol" });
      await roster({ action: "add", name: "dana", role: "typist" });
      await roster({ action: "away", name: "carol" });
      await fetch(`${server.url}/api/rooms/mob-team/cadence`, { method: "PUT", body: JSON.stringify({ turns: 4, minutes: 90 }) });
      await page.locator(".member[data-status='next']:has-text('bob')").waitFor();
      await page.locator("#cadence-state:has-text('4 turns')").waitFor();
    },
  },
  "room-my-turn": {
    path: "/turn-taking",
    ready: "#kind",
    act: async (page, server) => {
      for (const name of ["alice", "bob", "dana"]) {
        await fetch(`${server.url}/api/rooms/turn-taking/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
      }
      await server.put("/turn-taking", { timer: 15, user: "bob" });
      await page.evaluate(() => localStorage.setItem("mob-timer.my-turn.turn-taking", "on"));
      await page.reload();
      await page.locator("#next.is-me").waitFor();
      await page.locator("#my-turn:has-text('You are next')").waitFor();
    },
  },
  "room-rotation": {
    path: `/${TEAM_WEEK_ROOM}`,
    ready: "#rotation-heading",
    act: async (page) => {
      await page.locator("#rotation").scrollIntoViewIfNeeded();
    },
  },
  "room-focus-view": { path: "/design-review#focus", ready: "#who:has-text('alice')" },
  index: { path: "/", ready: "#room" },
  "index-recent-rooms": {
    path: "/",
    ready: "#room",
    act: async (page) => {
      await page.evaluate(() => localStorage.setItem("mob-timer.recent", JSON.stringify(["design-review", "retro", "coffee"])));
      await page.reload();
      await page.locator("#recent").waitFor();
    },
  },
  help: { path: "/help", ready: "h1" },
  stats: { path: "/stats", ready: "h1" },
  "not-found": { path: "/no/such/page", ready: "h1" },
};

/**
 * Makes `context` a viewer's: audio as on the desktop and, unless `fresh`, the viewer "dana"
 * with her settings, on every page it opens.
 */
export async function asViewer(context: BrowserContext, fresh = false): Promise<void> {
  await context.addInitScript(DESKTOP_AUTOPLAY);
  if (!fresh) {
    await context.addInitScript(() =>
      localStorage.setItem("mob-timer.settings", JSON.stringify({ user: "dana", timer: 15, breaktimer: 5, sound: true })),
    );
  }
}

/** Shows `shot` on `page`, a page of a context made by asViewer (fresh if the shot is). */
export async function showOn(page: Page, server: TestServer, shot: Shot): Promise<void> {
  await page.goto(`${server.url}${shot.path}`);
  await page.locator(shot.ready).first().waitFor();
  await shot.act?.(page, server);
}

/** A page of `context` showing `shot`, as the viewer "dana" unless the shot wants a new one. */
export async function showState(context: BrowserContext, server: TestServer, shot: Shot): Promise<Page> {
  await asViewer(context, shot.fresh);
  const page = await context.newPage();
  await showOn(page, server, shot);
  return page;
}
