// What a team's room shows of its rotation (GET /api/rooms/<room>/stats, the room page's
// panel): per day and per person, out of the counts rotation-count.ts decides and the store
// keeps. Pure: the store's rows and the roster in, the report out.
import { DAY_MS } from "../base/clock.ts";
import { COUNT_OPS, merge, ROOM_WIDE, SOMEONE, type CountField } from "./rotation-count.ts";

export interface NextTurnStats {
  /** Waits counted: from the end of a turn to the start of the same person's next, within a day. */
  count: number;
  averageMinutes: number;
  minMinutes: number;
  maxMinutes: number;
}

export interface PersonStats {
  name: string;
  turns: number;
  workMinutes: number;
  /** Null when no wait was counted (one turn, or "someone", whose waits mix several people). */
  nextTurn: NextTurnStats | null;
}

export interface DayStats {
  /** UTC day, "YYYY-MM-DD". */
  day: string;
  /** Sorted by name; names taken out appear as one "someone". */
  people: PersonStats[];
  breaks: number;
  breakMinutes: number;
  /** The longest work without a break. */
  longestStretchMinutes: number;
  /** Full rounds completed that day. */
  rounds: number;
}

export interface RotationReport {
  room: string;
  /** UTC days, inclusive. */
  from: string;
  to: string;
  /** Every day of the range, oldest first; a day without counts has zeros. */
  days: DayStats[];
  /** Summed over the range; waits merged (count, sum, least, most). */
  total: Omit<DayStats, "day">;
}

/** One kept count: what a store gives back. */
export interface StatsRow {
  day: string;
  /** ROOM_WIDE for the room's own counts. */
  person: string;
  field: CountField;
  value: number;
}

/** Days ROOM_STATS_DAYS may keep at most: a year's. */
export const MAX_ROOM_STATS_DAYS = 366;

/** Minutes, to a tenth, of `ms`. */
function minutes(ms: number): number {
  return Math.round(ms / 6_000) / 10;
}

/** The UTC days from `from` to `to`, inclusive, oldest first. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(from); at <= Date.parse(to); at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** The first of the `days` UTC days that end with the day of `now`. */
export function firstDay(now: number, days: number): string {
  return new Date(now - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

type Counts = Partial<Record<CountField, number>>;

/** Adds `counts` into `into`, each field merged as it is counted. */
function mergeInto(into: Counts, counts: Counts): void {
  for (const [field, value] of Object.entries(counts) as [CountField, number][]) {
    const kept = into[field];
    into[field] = kept === undefined ? value : merge(COUNT_OPS[field], kept, value);
  }
}

function personStats(name: string, counts: Counts): PersonStats {
  const gaps = counts.gaps ?? 0;
  const nextTurn =
    name === SOMEONE || gaps === 0
      ? null
      : { count: gaps, averageMinutes: minutes((counts.gapMs ?? 0) / gaps), minMinutes: minutes(counts.gapMinMs ?? 0), maxMinutes: minutes(counts.gapMaxMs ?? 0) };
  return { name, turns: counts.turns ?? 0, workMinutes: minutes(counts.workMs ?? 0), nextTurn };
}

function dayStats(people: Map<string, Counts>): Omit<DayStats, "day"> {
  const room = people.get(ROOM_WIDE) ?? {};
  return {
    people: [...people]
      .filter(([name]) => name !== ROOM_WIDE)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, counts]) => personStats(name, counts)),
    breaks: room.breaks ?? 0,
    breakMinutes: minutes(room.breakMs ?? 0),
    longestStretchMinutes: minutes(room.stretchMs ?? 0),
    rounds: room.rounds ?? 0,
  };
}

/** The report of `room` from `from` to `to` out of its kept `rows`. */
export function rotationReport(room: string, from: string, to: string, rows: readonly StatsRow[]): RotationReport {
  const byDay = new Map<string, Map<string, Counts>>();
  const total = new Map<string, Counts>();
  for (const row of rows) {
    if (row.day < from || row.day > to) continue;
    const { person } = row;
    const counts = { [row.field]: row.value };
    for (const people of [byDay.get(row.day) ?? byDay.set(row.day, new Map()).get(row.day)!, total]) {
      mergeInto(people.get(person) ?? people.set(person, {}).get(person)!, counts);
    }
  }
  return {
    room,
    from,
    to,
    days: daysBetween(from, to).map((day) => ({ day, ...dayStats(byDay.get(day) ?? new Map()) })),
    total: dayStats(total),
  };
}
