// The one line a PUT of a team's room answers with: the mob CLI prints any body it gets (as
// "> " and the text, after trimming it) and still takes any 2xx as success, so the person
// at the keyboard sees who is next and whether a break or a retro is due. Rooms that never opted in
// keep the original's empty body.
import { breakDueAfterLatest } from "../domain/cadence.ts";
import { retroDueAt } from "../domain/rotation-count.ts";
import { endOf, type TimerRequest } from "../domain/changes.ts";
import type { Room } from "../domain/room.ts";
import { cadenceOf, optedIn } from "../domain/team.ts";

/**
 * Names and goals are other people's text, printed in a terminal: control characters (a
 * line break, an escape sequence that recolours or retitles the terminal) become spaces.
 */
function plain(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ");
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function head(entry: TimerRequest): string {
  const user = entry.user ? plain(entry.user) : null;
  if (entry.timer === 0) return `timer stopped${user ? ` by ${user}` : ""}`;
  const until = `until ${clockTime(endOf(entry))} UTC`;
  if (entry.type === "BREAKTIMER") return `${entry.timer} min break, ${until}`;
  return `${entry.timer} min${user ? ` for ${user}` : ""}, ${until}`;
}

/**
 * "10 min for alice, until 10:42 UTC · next: bob · break due after this turn · retro due after this turn · https://host/room"
 * for `entry`, just started in `room`; null in a room that never opted in.
 */
export function timerLine(room: Room, entry: TimerRequest, roomUrl: string): string | null {
  if (!optedIn(room.settings)) return null;
  const parts = [head(entry)];
  if (entry.nextUser !== null) parts.push(`next: ${plain(entry.nextUser)}`);
  // Another timer may have followed already; the cadence then speaks of that one.
  if (room.latest?.requested === entry.requested) {
    if (breakDueAfterLatest(cadenceOf(room.settings), room.history)) parts.push("break due after this turn");
    if (retroDueAt(room.statsCursor, room.settings, endOf(entry))) parts.push("retro due after this turn");
  }
  parts.push(roomUrl);
  return `${parts.join(" · ")}\n`;
}

/** "goal: ship it · https://host/room" in a team's room; null in a room that never opted in. */
export function goalLine(room: Room, goal: string, roomUrl: string): string | null {
  return optedIn(room.settings) ? `goal: ${plain(goal)} · ${roomUrl}\n` : null;
}
