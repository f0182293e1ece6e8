// Breaks on a cadence: "suggest a break after N turns or M minutes of work", counted from
// the history (the timers since the latest break) rather than kept as counters, so that
// every instance, a restart and an import count the same.
import type { TimerRequest } from "./changes.ts";
import { DOMAIN_ERRORS } from "./errors.ts";
import type { Cadence } from "./settings.ts";

/** Turns a cadence may count up to: a long day's. */
export const MAX_CADENCE_TURNS = 100;
/** Minutes a cadence may count up to: a day's. */
export const MAX_CADENCE_MINUTES = 1440;

export interface Work {
  /** Timers since the latest break that ran a minute or more. */
  turns: number;
  /** Whole minutes those timers ran: each until its end, or until the next entry replaced it. */
  minutes: number;
}

/** Throws when a part of `cadence` is not a whole number in its range. */
export function checkCadence(cadence: Cadence): void {
  const check = (field: keyof Cadence, max: number) => {
    const value = cadence[field];
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw DOMAIN_ERRORS.cadenceOutOfRange.with({ field, max });
    }
  };
  check("turns", MAX_CADENCE_TURNS);
  check("minutes", MAX_CADENCE_MINUTES);
}

/** The work since the latest break, as of `now`. */
export function workSinceBreak(history: readonly TimerRequest[], now: number): Work {
  let turns = 0;
  let ms = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.type === "BREAKTIMER") break;
    if (entry.timer === 0) continue;
    const start = Date.parse(entry.requested);
    const next = history[i + 1];
    const until = Math.min(start + entry.timer * 60_000, next ? Date.parse(next.requested) : now);
    // A timer replaced within its first minute (started twice, the wrong length) is no turn.
    if (until - start < 60_000) continue;
    turns++;
    ms += until - start;
  }
  return { turns, minutes: Math.floor(ms / 60_000) };
}

export function isDue(cadence: Cadence, work: Work): boolean {
  return (cadence.turns !== null && work.turns >= cadence.turns) || (cadence.minutes !== null && work.minutes >= cadence.minutes);
}

/** Whether a break is due once the latest entry, a timer, has run to its end. */
export function breakDueAfterLatest(cadence: Cadence | null, history: readonly TimerRequest[]): boolean {
  const latest = history[history.length - 1];
  if (!cadence || !latest || latest.type !== "TIMER" || latest.timer === 0) return false;
  return isDue(cadence, workSinceBreak(history, Date.parse(latest.requested) + latest.timer * 60_000));
}
