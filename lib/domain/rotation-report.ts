// PROVISIONAL: the agreed shape of a team room's rotation statistics, until the stats branch
// lands its own (then this file goes and the imports follow it).
export interface NextTurn {
  count: number;
  averageMinutes: number;
  minMinutes: number;
  maxMinutes: number;
}

export interface PersonStats {
  name: string;
  turns: number;
  workMinutes: number;
  nextTurn: NextTurn | null;
}

export interface DayStats {
  day: string;
  people: PersonStats[];
  breaks: number;
  breakMinutes: number;
  longestStretchMinutes: number;
  rounds: number;
}

export interface RotationReport {
  room: string;
  from: string;
  to: string;
  days: DayStats[];
  total: Omit<DayStats, "day">;
}
