// The words of `mob-timer watch`: the line kept up to date on a terminal, the line printed
// at time's up, and the line per event for logs. Pure functions of the room and the time, so
// that a test gives fixed times.
import { clockText, kindOf, phaseAt, type RoomSnapshot } from "./room-snapshot.ts";

/** Who is next, said to the watching user when it is them. */
function nextText(next: string | null, me: string | null): string | null {
  if (!next) return null;
  return next === me ? "you're next" : `${next} is next`;
}

function turnText(user: string | null, me: string | null): string | null {
  if (!user) return null;
  return user === me ? "your turn" : `${user}'s turn`;
}

/** The state of the room at `now`, as one line of at most `width` characters (no limit: Infinity). */
export function watchLine(snapshot: RoomSnapshot, now: number, me: string | null, width = Infinity): string {
  const phase = phaseAt(snapshot, now);
  const current = snapshot.current;
  const parts: (string | null)[] = [];
  switch (phase.kind) {
    case "running":
      parts.push(`${kindOf(current!.type)} ${clockText(phase.leftMs)} left`);
      if (current!.type === "TIMER") parts.push(turnText(current!.user, me));
      parts.push(nextText(snapshot.next, me));
      break;
    case "up":
      parts.push(`${current!.type === "BREAKTIMER" ? "break is over" : "time's up"} +${clockText(phase.overMs, Math.floor)}`);
      parts.push(nextText(snapshot.next, me));
      break;
    case "stopped":
      parts.push(current!.user ? `stopped by ${current!.user}` : "stopped");
      parts.push(nextText(snapshot.next, me));
      break;
    case "idle":
      parts.push(snapshot.seq === 0 ? `no timer yet in room ${snapshot.room}` : "no timer running");
      break;
  }
  if (snapshot.goal) parts.push(`goal: ${snapshot.goal}`);
  return fit(parts.filter((part) => part !== null).join(" · "), width);
}

/** Said once when a timer or break runs out, on a line of its own. */
export function timeUpLine(snapshot: RoomSnapshot, me: string | null): string {
  const ended = snapshot.current?.type === "BREAKTIMER" ? "break is over" : "time's up";
  if (!snapshot.next) return ended;
  return snapshot.next === me ? `${ended}: you're next!` : `${ended}: ${snapshot.next} is next`;
}

/** A line for a log: the time, then what happened. */
export function logLine(now: number, text: string): string {
  return `${new Date(now).toISOString().slice(0, 19)}Z ${text}`;
}

/** Cut to `width` characters, ending in "…", so that a terminal never wraps the line it rewrites. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, Math.max(0, width)).join("") : `${chars.slice(0, width - 1).join("")}…`;
}
