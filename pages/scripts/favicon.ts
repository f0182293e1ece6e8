// The tab's icon drawn from the timer's state: a ring that empties as the time runs out, in
// the colour of work or a break, red when time is up, grey when idle. It is a data URL,
// which the pages' Content-Security-Policy allows for images.
import type { TimerView } from "./timer-view.ts";

const COLOURS = { work: "#1d6b64", break: "#b8620f", done: "#c62828", idle: "#6b7480", track: "#c9ced4" };
// Steps of the ring: fine enough to move every few seconds of a short timer, few enough
// that a long one does not redraw the icon every second.
const STEPS = 48;
const RADIUS = 11;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

function svg(state: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" data-state="${state}">${body}</svg>`;
}

function ring(colour: string, share: number): string {
  const filled = (Math.ceil(share * STEPS) / STEPS) * CIRCUMFERENCE;
  return (
    `<circle cx="16" cy="16" r="${RADIUS}" fill="none" stroke="${COLOURS.track}" stroke-width="7"/>` +
    `<circle cx="16" cy="16" r="${RADIUS}" fill="none" stroke="${colour}" stroke-width="7" ` +
    `stroke-dasharray="${filled.toFixed(2)} ${CIRCUMFERENCE.toFixed(2)}" transform="rotate(-90 16 16)"/>`
  );
}

function iconSvg(view: TimerView): string {
  switch (view.state) {
    case "running":
      return svg(view.isBreak ? "break" : "work", ring(view.isBreak ? COLOURS.break : COLOURS.work, view.remaining));
    case "done":
      return svg(
        "done",
        `<circle cx="16" cy="16" r="15" fill="${COLOURS.done}"/>` +
          `<path d="M16 7v11" stroke="#fff" stroke-width="4" stroke-linecap="round"/><circle cx="16" cy="24" r="2.4" fill="#fff"/>`,
      );
    default:
      return svg("idle", ring(COLOURS.idle, 0) + `<circle cx="16" cy="16" r="4" fill="${COLOURS.idle}"/>`);
  }
}

/** Points the page's icon at the drawing of `view`, touching the page only on a change. */
export function showFavicon(link: HTMLLinkElement, view: TimerView): void {
  const href = `data:image/svg+xml,${encodeURIComponent(iconSvg(view))}`;
  if (link.getAttribute("href") !== href) link.href = href;
}
