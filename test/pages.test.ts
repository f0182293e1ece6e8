// Rendering: the templates come pre-parsed from the build, so serving a page never runs
// Mustache's parser (see lib/render/template-tokens.ts for why that matters).
import { expect, spyOn, test } from "bun:test";
import Mustache from "mustache";
import { render, roomView, statsView } from "../lib/render/pages.ts";
import { TEMPLATES } from "../lib/render/templates.ts";

const context = { base: "", publicUrl: "http://timer.test" };
const NOW = Date.parse("2026-11-21T15:00:00.000Z");
const parse = spyOn(Mustache.Writer.prototype, "parse");

test("every page renders without parsing a template", () => {
  for (const page of Object.keys(TEMPLATES) as (keyof typeof TEMPLATES)[]) {
    const html = render(page, context, { ...roomView("pages-test"), title: `${page} page`, status: 404, message: "gone" });
    expect(html).toContain(`<title>${page} page</title>`);
    expect(html).toContain("</html>");
  }
  expect(parse).not.toHaveBeenCalled();
});

test("the statistics page counts in words that agree with the number", () => {
  const one = render("stats", context, statsView({ since: "2026-11-21T09:00:00.000Z", timers: { "5": 1 }, breaks: { "5": 1 }, goals: 1, days: {}, hours: [] }, NOW));
  expect(one).toContain("<strong>1</strong> timer started");
  expect(one).toContain("<strong>1</strong> break started");
  expect(one).toContain("<strong>1</strong> goal set");
  const many = render("stats", context, statsView({ since: "2026-11-21T09:00:00.000Z", timers: { "5": 2 }, breaks: {}, goals: 0, days: {}, hours: [] }, NOW));
  expect(many).toContain("<strong>2</strong> timers started");
  expect(many).toContain("<strong>0</strong> breaks started");
  expect(many).toContain("<strong>0</strong> goals set");
});

test("the statistics page draws activity per day and per hour as SVG bars from the snapshot", () => {
  const snapshot = {
    since: "2026-11-01T09:00:00.000Z",
    timers: { "10": 9 },
    breaks: { "5": 3 },
    goals: 0,
    days: { "2026-11-20": 4, "2026-11-21": 8, "2026-10-01": 99 },
    hours: [0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 3, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  };
  const html = render("stats", context, statsView(snapshot, Date.parse("2026-11-21T15:00:00.000Z")));
  const svgs = html.match(/<svg class="chart-svg"[\s\S]*?<\/svg>/g)!;
  expect(svgs).toHaveLength(2);
  const [days, hours] = svgs as [string, string];
  // 30 days up to today (23 October to 21 November); a day before them is not drawn.
  expect(days.match(/<rect /g)).toHaveLength(30);
  expect(days).toContain("<title>21 Nov: 8</title>");
  expect(days).toContain("<title>20 Nov: 4</title>");
  expect(days).not.toContain(": 99<");
  expect(days).toContain('aria-label="12 started in the last 30 days; the most, 8, on 21 Nov."');
  // The busiest bar reaches the top; an empty day has no height.
  expect(days).toMatch(/<rect class="chart-bar" x="[\d.]+" y="8.0" width="[\d.]+" height="148.0"><title>21 Nov: 8<\/title>/);
  expect(days).toMatch(/height="0.0"><title>23 Oct: 0<\/title>/);
  expect(days).not.toContain("22 Oct");
  expect(hours.match(/<rect /g)).toHaveLength(24);
  expect(hours).toContain("<title>09:00 UTC: 6</title>");
  expect(hours).toMatch(/height="74.0"><title>10:00 UTC: 3<\/title>/);
  expect(hours).toContain('aria-label="12 started by hour of day; the most, 6, at 09:00 UTC."');
});
