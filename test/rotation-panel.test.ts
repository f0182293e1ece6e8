// The room page's statistics panel, drawn from a report alone: what it says, what it draws,
// and what a screen reader gets of it; and the route that answers it, in-process on a clock
// moved by hand.
import { describe, expect, spyOn, test } from "bun:test";
import Mustache from "mustache";
import type { PersonStats } from "../lib/domain/rotation-stats.ts";
import { rotationPanel } from "../lib/render/rotation-panel.ts";
import { QUIET_WEEK, WEEK } from "./fixtures/rotation-report.ts";
import { CHEAP_KEY_HASHING, inProcess, type InProcessApp } from "./helpers.ts";

const svgs = (html: string) => html.match(/<svg class="chart-svg"[\s\S]*?<\/svg>/g) ?? [];

test("the panel names its days and the week's totals", () => {
  const html = rotationPanel(WEEK);
  expect(html).toContain('<h2 id="rotation-heading">Rotation, the last 7 days</h2>');
  expect(html).toContain("1 Dec to 7 Dec (UTC) · 28 turns · 3 breaks (30 min) · 7 full rounds · longest stretch without a break 95 min");
});

test("the spread says who had the most and who the least, in turns and in minutes", () => {
  expect(rotationPanel(WEEK)).toContain("Spread: most 12 turns (alice), least 7 (carol); most 180 minutes of work (alice), least 105 (carol).");
  const even = { ...WEEK, total: { ...WEEK.total, people: WEEK.total.people.map((p) => ({ ...p, turns: 4, workMinutes: 60 })) } };
  expect(rotationPanel(even)).toContain("Spread: everyone 4 turns; everyone 60 minutes of work.");
  const alone = { ...WEEK, total: { ...WEEK.total, people: WEEK.total.people.slice(0, 1) } };
  expect(rotationPanel(alone)).not.toContain("Spread");
});

test("turns and minutes per person are bars, each chart an image with its numbers in words", () => {
  const [turns, minutes] = svgs(rotationPanel(WEEK)) as [string, string];
  expect(svgs(rotationPanel(WEEK))).toHaveLength(2);
  expect(turns).toContain('role="img" aria-label="Turns per person: alice 12, bob 9, carol 7."');
  expect(turns).toContain('viewBox="0 0 320 160"');
  expect(turns.match(/<rect /g)).toHaveLength(3);
  // The most reaches the top of the plot; the others in proportion.
  expect(turns).toMatch(/y="8.0" width="[\d.]+" height="128.0"><title>alice: 12<\/title>/);
  expect(turns).toMatch(/height="74.7"><title>carol: 7<\/title>/);
  expect(turns).toContain(">bob</text>");
  expect(minutes).toContain('aria-label="Minutes of work per person: alice 180, bob 135, carol 105."');
});

test("the table gives every number of the bars and the time to the next turn", () => {
  const html = rotationPanel(WEEK);
  expect(html).toContain('<tr><th scope="row">alice</th><td>12</td><td>180</td><td>34 min (20 to 50)</td></tr>');
  expect(html).toContain('<tr><th scope="row">bob</th><td>9</td><td>135</td><td>29 min (25 to 31)</td></tr>');
  const once: PersonStats = { name: "dana", turns: 2, workMinutes: 20, nextTurn: { count: 1, averageMinutes: 12, minMinutes: 12, maxMinutes: 12 } };
  const never: PersonStats = { name: "erin", turns: 1, workMinutes: 10, nextTurn: null };
  const html2 = rotationPanel({ ...WEEK, total: { ...WEEK.total, people: [once, never] } });
  expect(html2).toContain('<th scope="row">dana</th><td>2</td><td>20</td><td>12 min</td>');
  expect(html2).toContain('<th scope="row">erin</th><td>1</td><td>10</td><td>none yet</td>');
});

test("names are other people's text: escaped everywhere, and cut short only under the bars", () => {
  const long = "a-very-long-name-indeed";
  const odd: PersonStats[] = [
    { name: `<b>"x"</b>`, turns: 1, workMinutes: 10, nextTurn: null },
    { name: long, turns: 2, workMinutes: 20, nextTurn: null },
  ];
  const html = rotationPanel({ ...WEEK, total: { ...WEEK.total, people: odd } });
  expect(html).not.toContain("<b>");
  expect(html).toContain("&lt;b&gt;&quot;x&quot;&lt;/b&gt;");
  expect(html).toContain(`<title>${long}: 2</title>`);
  expect(html).toContain(">a-very-long…</text>");
  expect(html).toContain(`<th scope="row">${long}</th>`);
});

test("a week without turns says so and draws nothing", () => {
  const html = rotationPanel(QUIET_WEEK);
  expect(html).toContain("No turns in these days yet");
  expect(svgs(html)).toHaveLength(0);
  expect(html).not.toContain("<table");
});

test("the panel renders from the tokens parsed at build time", () => {
  const parse = spyOn(Mustache.Writer.prototype, "parse");
  rotationPanel(WEEK);
  expect(parse).not.toHaveBeenCalled();
  parse.mockRestore();
});

describe("GET /api/rooms/<room>/stats/panel", () => {
  const panel = (s: InProcessApp, room: string, headers: Record<string, string> = {}) => s.fetch(`/api/rooms/${room}/stats/panel`, { headers });

  /** A team of two taking three 10-minute turns, each after the other's. */
  async function turns(s: InProcessApp, room: string, headers: Record<string, string> = {}): Promise<void> {
    await s.fetch(`/api/rooms/${room}/roster`, { method: "POST", headers, body: JSON.stringify({ action: "add", name: "alice" }) });
    for (const user of ["alice", "bob", "alice", "bob"]) {
      expect((await s.fetch(`/${room}`, { method: "PUT", headers, body: JSON.stringify({ timer: 10, user }) })).status).toBe(202);
      s.clock.advance(10 * 60_000);
    }
  }

  test("a team's room answers its week's panel as HTML that loads nothing", async () => {
    await using s = await inProcess();
    await turns(s, "our-mob");
    const res = await panel(s, "our-mob");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("Rotation, the last 7 days");
    expect(html).toContain("15 Nov to 21 Nov (UTC) · 3 turns");
    expect(html).toContain('<tr><th scope="row">alice</th><td>2</td><td>20</td><td>10 min</td></tr>');
    expect(html).toContain('<tr><th scope="row">bob</th><td>1</td><td>10</td><td>none yet</td></tr>');
  });

  test("a room that never opted in answers 204 with nothing, and stays as it was", async () => {
    await using s = await inProcess();
    await s.put("/plain", { timer: 10, user: "alice" });
    const before = await (await s.fetch("/api/rooms/plain")).json();
    const res = await panel(s, "plain");
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(await (await s.fetch("/api/rooms/plain")).json()).toEqual(before);
    expect((await panel(s, "never-seen")).status).toBe(204);
  });

  test("a private room's panel needs its key; a bad room name is refused", async () => {
    await using s = await inProcess({}, { hashing: CHEAP_KEY_HASHING });
    const { key } = (await (await s.fetch("/api/rooms/vault/owner", { method: "POST", body: '{"private":true}' })).json()) as { key: string };
    await turns(s, "vault", { "X-Room-Key": key });
    expect((await panel(s, "vault")).status).toBe(401);
    expect((await panel(s, "vault", { "X-Room-Key": "not-the-key-at-all-not-the-key-at-all-12345" })).status).toBe(401);
    const res = await panel(s, "vault", { "X-Room-Key": key });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<th scope="row">alice</th>');
    const bad = await panel(s, "no%20such");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty("error");
  });
});
