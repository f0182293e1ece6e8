// What /stats shows: timers and breaks started per duration, goals set, activity per day
// and per hour of day, and since when the counting runs. Which change counts as what is
// decided here, once; each store keeps the counts in its own medium.
import { DAY_MS } from "../base/clock.ts";
import type { RoomChange } from "./changes.ts";

export interface StatsSnapshot {
  since: string;
  /** Minutes → timers started with that length. */
  timers: Record<string, number>;
  breaks: Record<string, number>;
  goals: number;
  /** UTC date "YYYY-MM-DD" → timers and breaks started that day, the last STATS_DAYS days. */
  days: Record<string, number>;
  /** Timers and breaks started in each UTC hour of the day, 24 counts. */
  hours: number[];
}

/** Days of per-day activity kept. */
export const STATS_DAYS = 30;

/** What one change adds to the statistics. */
export interface StatsCount {
  kind: "timer" | "break" | "goal";
  minutes: number;
  /** UTC date of the change, "YYYY-MM-DD". */
  day: string;
  /** UTC hour of the change, 0-23. */
  hour: number;
}

/** The count a change adds, or null: deletions and expiry count for nothing. */
export function statsCount(change: RoomChange): StatsCount | null {
  switch (change.kind) {
    case "timer":
    case "break": {
      const { requested, timer } = change.entry;
      return { kind: change.kind, minutes: timer, day: requested.slice(0, 10), hour: Number(requested.slice(11, 13)) };
    }
    case "goal-set": {
      const requested = change.goal.requested!;
      return { kind: "goal", minutes: 0, day: requested.slice(0, 10), hour: Number(requested.slice(11, 13)) };
    }
    default:
      return null;
  }
}

/** The first day still kept at `now`, as "YYYY-MM-DD". */
export function firstKeptDay(now: number): string {
  return new Date(now - (STATS_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** Counts in memory, for stores that keep them there. */
export class StatsCounter {
  private readonly timers = new Map<number, number>();
  private readonly breaks = new Map<number, number>();
  private readonly days = new Map<string, number>();
  private readonly hours: number[] = Array.from({ length: 24 }, () => 0);
  private goals = 0;

  constructor(private readonly since: string) {}

  /** Counts that go on from a snapshot (an import). */
  static from(snapshot: StatsSnapshot): StatsCounter {
    const counter = new StatsCounter(snapshot.since);
    for (const [minutes, count] of Object.entries(snapshot.timers)) counter.timers.set(Number(minutes), count);
    for (const [minutes, count] of Object.entries(snapshot.breaks)) counter.breaks.set(Number(minutes), count);
    for (const [day, count] of Object.entries(snapshot.days)) counter.days.set(day, count);
    snapshot.hours.forEach((count, hour) => (counter.hours[hour] = count));
    counter.goals = snapshot.goals;
    return counter;
  }

  add(count: StatsCount): void {
    if (count.kind === "goal") {
      this.goals++;
      return;
    }
    const counts = count.kind === "timer" ? this.timers : this.breaks;
    counts.set(count.minutes, (counts.get(count.minutes) ?? 0) + 1);
    this.days.set(count.day, (this.days.get(count.day) ?? 0) + 1);
    this.hours[count.hour]!++;
  }

  /** Forgets per-day counts older than the days kept. */
  prune(now: number): void {
    const first = firstKeptDay(now);
    for (const day of this.days.keys()) if (day < first) this.days.delete(day);
  }

  /**
   * The counts as held, neither copied nor sorted: what a store adds to its own at each
   * commit (SQLite's worker, whose commits are on a change's way to its answer).
   */
  counts(): { timers: ReadonlyMap<number, number>; breaks: ReadonlyMap<number, number>; goals: number; days: ReadonlyMap<string, number>; hours: readonly number[] } {
    return { timers: this.timers, breaks: this.breaks, goals: this.goals, days: this.days, hours: this.hours };
  }

  snapshot(): StatsSnapshot {
    return sortedSnapshot({
      since: this.since,
      timers: Object.fromEntries(this.timers),
      breaks: Object.fromEntries(this.breaks),
      goals: this.goals,
      days: Object.fromEntries(this.days),
      hours: [...this.hours],
    });
  }
}

/** The same snapshot with durations and days in order, as every store answers. */
export function sortedSnapshot(snapshot: StatsSnapshot): StatsSnapshot {
  const byNumber = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).sort(([a], [b]) => Number(a) - Number(b)));
  const byDay = Object.fromEntries(Object.entries(snapshot.days).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { ...snapshot, timers: byNumber(snapshot.timers), breaks: byNumber(snapshot.breaks), days: byDay };
}
