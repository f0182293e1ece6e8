// Rendering: the templates come pre-parsed from the build, so serving a page never runs
// Mustache's parser (see lib/template-tokens.ts for why that matters).
import { expect, spyOn, test } from "bun:test";
import Mustache from "mustache";
import { render, roomView } from "../lib/pages.ts";
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
