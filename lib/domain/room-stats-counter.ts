// The rotation's counts of every room in memory, for the memory store: per room, per day,
// per person and field, each merged as rotation-count.ts says.
import { COUNT_OPS, merge, SOMEONE, type StatsCount } from "./rotation-count.ts";
import { firstDay, type StatsRow } from "./rotation-stats.ts";

export class RoomStatsCounter {
  /** Room → "day person field" → its row. */
  private readonly rooms = new Map<string, Map<string, StatsRow>>();

  constructor(
    /** Days kept (ROOM_STATS_DAYS). */
    private readonly days: number,
  ) {}

  add(room: string, counts: readonly StatsCount[]): void {
    if (counts.length === 0) return;
    const rows = this.rooms.get(room) ?? this.rooms.set(room, new Map()).get(room)!;
    for (const { day, person, field, op, value } of counts) {
      const key = `${day} ${person} ${field}`;
      const kept = rows.get(key);
      if (kept) kept.value = merge(op, kept.value, value);
      else rows.set(key, { day, person, field, value });
    }
  }

  /** Every count of `person` in `room` goes under SOMEONE (a name taken out). */
  forget(room: string, person: string): void {
    const rows = this.rooms.get(room);
    if (!rows) return;
    const moved: StatsCount[] = [];
    for (const [key, row] of rows) {
      if (row.person !== person) continue;
      rows.delete(key);
      moved.push({ ...row, person: SOMEONE, op: COUNT_OPS[row.field] });
    }
    this.add(room, moved);
  }

  rows(room: string, from: string, to: string): StatsRow[] {
    return [...(this.rooms.get(room)?.values() ?? [])].filter((row) => row.day >= from && row.day <= to).map((row) => ({ ...row }));
  }

  replace(room: string, rows: readonly StatsRow[]): void {
    this.rooms.delete(room);
    if (rows.length > 0) this.rooms.set(room, new Map(rows.map((row) => [`${row.day} ${row.person} ${row.field}`, { ...row }])));
  }

  /** Forgets the days no longer kept at `now`. */
  prune(now: number): void {
    const first = firstDay(now, this.days);
    for (const [room, rows] of this.rooms) {
      for (const [key, row] of rows) if (row.day < first) rows.delete(key);
      if (rows.size === 0) this.rooms.delete(room);
    }
  }
}
