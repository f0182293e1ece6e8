// What /stats shows: how many timers and breaks were started per duration, how many goals
// were set, and since when the counting runs.

export interface StatsSnapshot {
  since: string;
  timers: Record<string, number>;
  breaks: Record<string, number>;
  goals: number;
  /** UTC date "YYYY-MM-DD" → timers and breaks started that day, the last 30 days at most. */
  days?: Record<string, number>;
  /** Timers and breaks started in each UTC hour of the day, 24 counts. */
  hours?: number[];
}

export class Stats {
  readonly timers = new Map<number, number>();
  readonly breaks = new Map<number, number>();
  goals = 0;

  constructor(public since: string) {}

  countTimer(type: "TIMER" | "BREAKTIMER", minutes: number): void {
    const counts = type === "TIMER" ? this.timers : this.breaks;
    counts.set(minutes, (counts.get(minutes) ?? 0) + 1);
  }

  countGoal(): void {
    this.goals++;
  }

  restore(snapshot: StatsSnapshot): void {
    this.since = snapshot.since;
    this.goals = snapshot.goals;
    for (const [minutes, count] of Object.entries(snapshot.timers)) this.timers.set(Number(minutes), count);
    for (const [minutes, count] of Object.entries(snapshot.breaks)) this.breaks.set(Number(minutes), count);
  }

  snapshot(): StatsSnapshot {
    const sorted = (counts: Map<number, number>) =>
      Object.fromEntries([...counts].sort(([a], [b]) => a - b).map(([m, c]) => [String(m), c]));
    return { since: this.since, timers: sorted(this.timers), breaks: sorted(this.breaks), goals: this.goals };
  }
}
