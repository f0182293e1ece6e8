// Breaks on a cadence: "suggest a break after N turns or M minutes of work", counted from
// the history (the timers since the latest break) rather than kept as counters, so that
// every instance, a restart and an import count the same.
import { endOf, type TimerRequest } from "./changes.ts";
import { DOMAIN_ERRORS } from "./errors.ts";
import type { Cadence } from "./settings.ts";

/** Turns a cadence may count up to: a long day's. */
export const MAX_CADENCE_TURNS = 100;
/** Minutes a cadence may count up to: a day's. */
export const MAX_CADENCE_MINUTES = 1440;
/** Full rounds between retros at most: a long day's of a small team. */
export const MAX_CADENCE_ROUNDS = 50;

export interface Work {
  /** Timers since the latest break that ran a minute or more. */
  turns: number;
  /** Whole minutes those timers ran: each until its end, or until the next entry replaced it. */
  minutes: number;
}

/** Throws when a part of `cadence` is not a whole number in its range. */
export function checkCadence(cadence: Cadence): void {
  const check = (field: keyof Cadence, max: number) => {
    const value = cadence[field] ?? null;
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw DOMAIN_ERRORS.cadenceOutOfRange.with({ field, max });
    }
  };
  check("turns", MAX_CADENCE_TURNS);
  check("minutes", MAX_CADENCE_MINUTES);
  check("retroRounds", MAX_CADENCE_ROUNDS);
}

/**
 * How long `entry` ran, in ms: until its end, or until `cutAt` (the next entry replaced it,
 * or now). Null when it does not count: a stop (a 0-minute timer), or an entry replaced
 * within its first minute (started twice, the wrong length), which is no turn. The rotation's
 * statistics count turns by this rule too.
 */
export function ranFor(entry: TimerRequest, cutAt: number): number | null {
  if (entry.timer === 0) return null;
  const start = Date.parse(entry.requested);
  const ran = Math.min(start + entry.timer * 60_000, cutAt) - start;
  return ran < 60_000 ? null : ran;
}

/** The work since the latest break, as of `now`. */
export function workSinceBreak(history: readonly TimerRequest[], now: number): Work {
  let turns = 0;
  let ms = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i]!;
    if (entry.type === "BREAKTIMER") break;
    const next = history[i + 1];
    const ran = ranFor(entry, next ? Date.parse(next.requested) : now);
    if (ran === null) continue;
    turns++;
    ms += ran;
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
  return isDue(cadence, workSinceBreak(history, endOf(latest)));
}
