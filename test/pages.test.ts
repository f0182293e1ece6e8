// Rendering: the templates come pre-parsed from the build, so serving a page never runs
// Mustache's parser (see lib/template-tokens.ts for why that matters).
import { expect, spyOn, test } from "bun:test";
import Mustache from "mustache";
import { render, roomView, statsView } from "../lib/pages.ts";
import { TEMPLATES } from "../lib/templates.ts";

const context = { base: "", publicUrl: "http://timer.test" };
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
  const one = render("stats", context, statsView({ since: "2026-11-21T09:00:00.000Z", timers: { "5": 1 }, breaks: { "5": 1 }, goals: 1 }));
  expect(one).toContain("<strong>1</strong> timer started");
  expect(one).toContain("<strong>1</strong> break started");
  expect(one).toContain("<strong>1</strong> goal set");
  const many = render("stats", context, statsView({ since: "2026-11-21T09:00:00.000Z", timers: { "5": 2 }, breaks: {}, goals: 0 }));
  expect(many).toContain("<strong>2</strong> timers started");
  expect(many).toContain("<strong>0</strong> breaks started");
  expect(many).toContain("<strong>0</strong> goals set");
});
