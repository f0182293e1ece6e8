// What a team keeps in its room's settings: its roster, its break cadence and the timer its
// time's up was last told for. A room opts in with a roster or a cadence; one with neither
// behaves exactly as PROTOCOL.md says.
import type { RoomSettings } from "./changes.ts";

export interface Member {
  name: string;
  /** Skipped when the turn passes, until back. */
  away: boolean;
  /** A name the team gives the member's part (typist, navigator, ...); null for none. */
  role: string | null;
}

/** The team in the order turns pass. */
export interface Roster {
  members: Member[];
}

/** "Suggest a break after `turns` turns or `minutes` minutes of work"; null turns that part off. */
export interface Cadence {
  turns: number | null;
  minutes: number | null;
}

/** The timer or break whose end has been announced, by its `requested`. */
export interface TimeUp {
  requested: string;
}

interface TeamFields {
  roster?: Roster;
  cadence?: Cadence;
  timeUp?: TimeUp;
}

function fields(settings: RoomSettings | null): TeamFields {
  return (settings ?? {}) as TeamFields;
}

export function rosterOf(settings: RoomSettings | null): Roster | null {
  return fields(settings).roster ?? null;
}

export function cadenceOf(settings: RoomSettings | null): Cadence | null {
  return fields(settings).cadence ?? null;
}

export function timeUpOf(settings: RoomSettings | null): TimeUp | null {
  return fields(settings).timeUp ?? null;
}

/** Whether the room uses the roster or the cadence: only then does it hear of time's up or get the CLI's line. */
export function optedIn(settings: RoomSettings | null): boolean {
  return rosterOf(settings) !== null || cadenceOf(settings) !== null;
}

/**
 * The room's settings with the team's fields changed as `changes` says (null: that field
 * goes), every other feature's kept. A team that opts out entirely leaves no trace of its
 * time's up; settings left empty are none.
 */
export function withTeam(settings: RoomSettings | null, changes: { [K in keyof TeamFields]?: TeamFields[K] | null }): RoomSettings | null {
  const next: RoomSettings = { ...settings, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === null) delete next[key];
  if (next.roster === undefined && next.cadence === undefined) delete next.timeUp;
  return Object.keys(next).length === 0 ? null : next;
}
