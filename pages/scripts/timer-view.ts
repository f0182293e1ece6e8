// What the room's timer looks like at a moment: a pure function of the latest timer and the
// time, so that the page, its title and its icon always agree.
import { endOf, type TimerRequest } from "../../lib/domain/changes.ts";
import { MINUTE_MS, clockTime, formatLeft, kindName } from "./format.ts";

/** How long "time is up" stays on screen, counting its overtime, before the room shows idle. */
export const DONE_FOR_MS = 30 * MINUTE_MS;

/** "loading" until the room's first event: the page does not know the state yet. */
export type TimerState = "loading" | "idle" | "running" | "done";

export interface TimerView {
  state: TimerState;
  isBreak: boolean;
  /** Milliseconds left while running; milliseconds since the end when done. */
  left: number;
  overtime: number;
  lastMinute: boolean;
  kind: string;
  countdown: string;
  /** Said under the countdown, when there is something to say. */
  label: string;
  who: string;
  next: string;
  title: string;
  /** Share of the timer still to run, 0 to 1. */
  remaining: number;
}

function minutesText(minutes: number): string {
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

function endedText(overtime: number): string {
  const minutes = Math.floor(overtime / MINUTE_MS);
  return minutes < 1 ? "ended just now" : `ended ${minutesText(minutes)} ago`;
}

/** The line under an idle countdown: what happened last, if anything did today. */
function lastText(timer: TimerRequest | null): string {
  if (!timer) return "";
  const by = timer.user ? ` by ${timer.user}` : "";
  if (timer.timer === 0) return `stopped${by} at ${clockTime(Date.parse(timer.requested))}`;
  return `last: ${kindName(timer.type)}${by}, ended at ${clockTime(endOf(timer))}`;
}

export function timerView(room: string, current: TimerRequest | null, loaded: boolean, now: number): TimerView {
  const isBreak = current?.type === "BREAKTIMER";
  const base = { isBreak, left: 0, overtime: 0, lastMinute: false, label: "", next: "", remaining: 0 };
  if (!loaded) {
    return { ...base, state: "loading", kind: "Connecting…", countdown: "--:--", who: "", title: `#${room} · mob timer` };
  }
  const total = current ? current.timer * MINUTE_MS : 0;
  const left = current ? endOf(current) - now : 0;
  if (current && total > 0 && left > 0) {
    return {
      ...base,
      state: "running",
      left,
      lastMinute: left <= MINUTE_MS,
      kind: kindName(current.type),
      countdown: formatLeft(left),
      who: current.user ? `started by ${current.user}` : "",
      next: current.nextUser ? `next: ${current.nextUser}` : "",
      title: `${formatLeft(left)} ${kindName(current.type).toLowerCase()} · #${room}`,
      remaining: left / total,
    };
  }
  if (current && total > 0 && -left < DONE_FOR_MS) {
    const overtime = -left;
    const next = !isBreak && current.nextUser ? `: ${current.nextUser} is next` : "";
    return {
      ...base,
      state: "done",
      overtime,
      kind: isBreak ? "Break is over" : "Time is up",
      countdown: `+${formatLeft(overtime)}`,
      label: endedText(overtime),
      who: "",
      title: `${isBreak ? "Break is over" : `Time is up${next}`} · #${room}`,
    };
  }
  return { ...base, state: "idle", kind: "No timer running", countdown: "00:00", who: lastText(current), title: `No timer · #${room}` };
}
