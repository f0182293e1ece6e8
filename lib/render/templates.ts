// The page templates, embedded by their imports: text the server renders, and the input of
// the build-time parse in template-tokens.ts.
import errorPage from "../../pages/error.mustache" with { type: "text" };
import help from "../../pages/help.mustache" with { type: "text" };
import index from "../../pages/index.mustache" with { type: "text" };
import room from "../../pages/room.mustache" with { type: "text" };
import stats from "../../pages/stats.mustache" with { type: "text" };
import top from "../../pages/top.mustache" with { type: "text" };
import bottom from "../../pages/bottom.mustache" with { type: "text" };
import chart from "../../pages/chart.mustache" with { type: "text" };
import team from "../../pages/team.mustache" with { type: "text" };
import hooks from "../../pages/hooks.mustache" with { type: "text" };
import owner from "../../pages/owner.mustache" with { type: "text" };
import rotation from "../../pages/rotation.mustache" with { type: "text" };

export const TEMPLATES = { error: errorPage, help, index, room, stats } as const;
export const PARTIALS = { top, bottom, chart, team, owner, hooks } as const;
/** Parts of a page that a page's script fetches and puts in place. */
export const FRAGMENTS = { rotation } as const;
