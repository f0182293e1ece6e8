// PROTOCOL.md's wire format in one place: event names, Server-Sent Events frames, and the
// JSON of every event. Nothing else in the server writes event names or SSE text.
import { NO_GOAL, NO_TIMER, type RoomChange, type RoomEvent } from "../domain/changes.ts";
import { ownerOf, ownerStatus } from "../domain/owner.ts";
import { hooksShown } from "../domain/hooks.ts";
import type { Room } from "../domain/room.ts";
import { teamMessage, teamOpening } from "./team.ts";

/**
 * One event. `data` must be a single line (JSON.stringify output is): user text can then
 * never start a new SSE field or event.
 */
export function sseFrame(name: string, data: string, id?: number): string {
  return id === undefined ? `event:${name}\ndata:${data}\n\n` : `id:${id}\nevent:${name}\ndata:${data}\n\n`;
}

const NO_TIMER_JSON = JSON.stringify(NO_TIMER);

export const KEEP_ALIVE_FRAME = sseFrame(
  "KEEP_ALIVE",
  JSON.stringify({ timer: null, requested: null, user: null, nextUser: null, type: null }),
);

/** EventSource reconnects after `retry` ms when its stream ends: sent before we end one. */
export const RECONNECT_SOON = "retry:1000\n\n";

/** The event a change is announced as, with its JSON; null for a change listeners are not told of. */
export function changeMessage(change: RoomChange): { name: string; data: string } | null {
  switch (change.kind) {
    case "timer":
    case "break":
      return { name: "TIMER_REQUEST", data: JSON.stringify(change.entry) };
    case "goal-set":
    case "goal-deleted":
      return { name: "GOAL_REQUEST", data: JSON.stringify(change.goal) };
    case "history-expired":
      // The web page resets itself on the empty request.
      return { name: "TIMER_REQUEST", data: NO_TIMER_JSON };
    case "settings":
      // The room was claimed, released or made private: its page shows who may change it. Never the hash.
      if (change.cause.type === "owner") return { name: "ROOM_OWNER", data: JSON.stringify(ownerStatus(ownerOf(change.settings))) };
      // A new name, which the original page and the CLI ignore; secrets masked, as the API shows
      // them. A claimed room's listeners may hold no key: they hear only the summary, and its
      // team's pages read the rest with the key.
      if (change.cause.type === "hooks") {
        return { name: "HOOKS_UPDATE", data: JSON.stringify({ hooks: hooksShown(change.settings, ownerOf(change.settings) === null) }) };
      }
      return teamMessage(change.settings, change.cause);
  }
}

/** The frame of a change, or null when listeners are not told of it. */
export function changeFrame(event: RoomEvent): string | null {
  const message = changeMessage(event.change);
  return message && sseFrame(message.name, message.data, event.seq);
}

/** What a listener of a room nobody has used gets: the same bytes every time. */
const EMPTY_REPLAY = sseFrame("INITIAL_HISTORY", "[]") + sseFrame("TIMER_REQUEST", NO_TIMER_JSON) + sseFrame("GOAL_REQUEST", JSON.stringify(NO_GOAL));

/**
 * What a new listener of a room gets first: history but the latest, the latest timer, the
 * goal; then, in a team's room only, the team.
 */
export function replayFrames(room: Room | undefined): string {
  if (!room || (room.isEmpty && room.seq === 0)) return EMPTY_REPLAY;
  const latest = room.latest;
  const team = teamOpening(room);
  return (
    sseFrame("INITIAL_HISTORY", JSON.stringify(room.history.slice(0, -1))) +
    sseFrame("TIMER_REQUEST", latest ? JSON.stringify(latest) : NO_TIMER_JSON) +
    sseFrame("GOAL_REQUEST", JSON.stringify(room.goal), room.seq) +
    (team ? sseFrame(team.name, team.data) : "")
  );
}

/** The start page's counts: open room listeners, and rooms whose timer runs. */
export function countsFrames(listeners: number, runningTimers: number): string {
  return sseFrame("ACTIVE_USERS_UPDATE", String(listeners)) + sseFrame("ACTIVE_TIMERS_UPDATE", String(runningTimers));
}

/** The body of `GET /<room>/goal`. */
export function goalJson(goal: string): string {
  return JSON.stringify({ goal });
}
