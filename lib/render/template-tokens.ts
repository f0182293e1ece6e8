// Imported `with { type: "macro" }`: this runs when the server is bundled (or transpiled),
// and only its result, plain token arrays, ends up in the program. Parsing the templates
// when the server starts ran Mustache's scanner hot enough to bring in JavaScriptCore's
// optimizing compiler, 5 MB of the executable's code held in memory from then on.
import Mustache from "mustache";
import { FRAGMENTS, PARTIALS, TEMPLATES } from "./templates.ts";

/** Mustache's tokens of every template and partial, by name. */
export function templateTokens(): Record<string, Mustache.TemplateSpans> {
  const all: Record<string, string> = { ...TEMPLATES, ...PARTIALS, ...FRAGMENTS };
  return Object.fromEntries(Object.entries(all).map(([name, text]) => [name, Mustache.parse(text)]));
}
