// The room page's statistics panel of a team's room: drawn by the server, fetched here with
// the room's key (a private room's statistics need it, and only this page holds it), then
// again every few minutes and whenever a turn ends. A room that never opted in is never
// asked, and its page stays as it was.
import { byId } from "./dom.ts";
import { keyHeaders } from "./room-key.ts";

/** The numbers move when a turn ends (told apart below); this only catches what the page missed. */
const REFRESH_MS = 5 * 60_000;

export function setUpRotation(apiUrl: string) {
  const panel = byId("rotation");
  let refresh: ReturnType<typeof setInterval> | undefined;
  let asking = false;
  /** The markup shown: the same again leaves the panel alone, and whoever is reading it in place. */
  let shown = "";

  async function load(): Promise<void> {
    if (asking) return;
    asking = true;
    try {
      const response = await fetch(`${apiUrl}/stats/panel`, { headers: keyHeaders(), cache: "no-store" });
      if (response.status === 200) {
        const markup = await response.text();
        // The server's own markup, every name in it escaped there; the page's policy runs no inline script anyway.
        if (markup !== shown) panel.innerHTML = shown = markup;
        panel.hidden = false;
      } else if (response.status !== 429 && response.status < 500) {
        // No statistics (204), or not for this viewer (401): no panel.
        panel.hidden = true;
        panel.replaceChildren();
        shown = "";
      }
    } catch {
      // Offline: what shows stays, and the next refresh tries again.
    } finally {
      asking = false;
    }
  }

  return {
    /** The room is a team's (its roster or cadence was told): the panel shows, if the server has one. */
    team(): void {
      refresh ??= setInterval(() => void load(), REFRESH_MS);
      if (panel.hidden) void load();
    },
    /** A turn or a break ended: the numbers moved. */
    turnEnded(): void {
      if (refresh !== undefined) void load();
    },
  };
}
