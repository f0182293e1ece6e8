// GET /api/rooms/<room>/stats/panel: the room page's statistics panel, as HTML the page's
// script puts in place. A route of its own rather than part of the page: the page is the
// same for everyone, but a private room's statistics need its key, which only the page's
// script holds and sends (the room gate in front of this route checks it as for the
// statistics themselves). A room that never opted in has none: 204, and the page shows no panel.
import type { Config } from "../../config.ts";
import type { Rooms } from "../../domain/rooms.ts";
import { rotationPanel } from "../../render/rotation-panel.ts";
import { html } from "../responses.ts";
import type { RequestContext } from "../router.ts";
import { roomName } from "./rooms.ts";

/** "This week" on the panel: the last 7 UTC days, today included (fewer when the server keeps fewer). */
const PANEL_DAYS = 7;

export interface RotationPanelParts {
  config: Config;
  rooms: Pick<Rooms, "rotation">;
}

// Fetched, never shown as a page of its own; should someone open it anyway, it loads nothing.
const FRAGMENT_HEADERS = { "Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff" };

export function rotationPanelHandler({ config, rooms }: RotationPanelParts) {
  const days = Math.min(PANEL_DAYS, config.roomStatsDays);
  return async (ctx: RequestContext): Promise<Response> => {
    const report = await rooms.rotation(roomName(ctx, config.maxRoomNameLength), days);
    if (report === null) return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
    return html(rotationPanel(report), 200, FRAGMENT_HEADERS);
  };
}
