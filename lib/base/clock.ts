// Time is injected so that tests can move it without waiting for real minutes.
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A UTC day, in ms: days are counted in UTC everywhere (statistics, rotation, charts). */
export const DAY_MS = 86_400_000;

let formattedMs = Number.NaN;
let formatted = "";

/**
 * `new Date(ms).toISOString()`, remembering the last answer: a busy server asks for the
 * same millisecond many times (a timer's `requested`, its log line), and formatting a date
 * is a good part of what a PUT costs.
 */
export function isoTime(ms: number): string {
  if (ms !== formattedMs) {
    formatted = new Date(ms).toISOString();
    formattedMs = ms;
  }
  return formatted;
}
