// The page templates, embedded by their imports, and one render() for all of them.
import Mustache from "mustache";
import { assetFiles } from "./assets.ts";
import errorPage from "../pages/error.mustache" with { type: "text" };
import help from "../pages/help.mustache" with { type: "text" };
import index from "../pages/index.mustache" with { type: "text" };
import room from "../pages/room.mustache" with { type: "text" };
import stats from "../pages/stats.mustache" with { type: "text" };
import top from "../pages/top.mustache" with { type: "text" };
import bottom from "../pages/bottom.mustache" with { type: "text" };

const TEMPLATES = { error: errorPage, help, index, room, stats } as const;
const PARTIALS = { top, bottom };

export type PageName = keyof typeof TEMPLATES;

/** What every page needs to link to the server's own paths and assets. */
export interface PageContext {
  base: string;
  publicUrl: string;
}

// Parse once at start rather than on the first request.
for (const template of [...Object.values(TEMPLATES), ...Object.values(PARTIALS)]) Mustache.parse(template);

export function render(page: PageName, context: PageContext, view: Record<string, unknown>): string {
  return Mustache.render(TEMPLATES[page], { ...context, assets: assetFiles, ...view }, PARTIALS);
}
