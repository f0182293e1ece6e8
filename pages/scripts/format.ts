// Text for the room page: durations, and times of day in the viewer's zone.
import type { TimerType } from "../../lib/domain/changes.ts";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

function twoDigits(n: number): string {
  return String(n).padStart(2, "0");
}

/** Milliseconds left as "mm:ss", rounded up so that 00:00 means the time is really over. */
export function formatLeft(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  return `${twoDigits(Math.floor(seconds / 60))}:${twoDigits(seconds % 60)}`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

export function clockTime(ms: number): string {
  return timeOfDay.format(ms);
}

const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short" });

/** The time of day, after the weekday when it was not today: a day's history crosses midnight. */
export function dayTime(ms: number, now: number): string {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return sameDay ? clockTime(ms) : `${weekday.format(ms)} ${clockTime(ms)}`;
}

export function kindName(type: TimerType | null | undefined): string {
  return type === "BREAKTIMER" ? "Break" : "Work";
}
