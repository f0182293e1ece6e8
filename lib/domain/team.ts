// A team's part of its room's settings (types and decoders in settings.ts): its roster, its
// break cadence and the timer its time's up was last told for. A room opts in with a roster
// or a cadence; one with neither behaves exactly as PROTOCOL.md says.
import { withFeatures, type Cadence, type Roster, type RoomSettings, type SettingsChanges, type TimeUp } from "./settings.ts";

export function rosterOf(settings: RoomSettings | null): Roster | null {
  return settings?.roster ?? null;
}

export function cadenceOf(settings: RoomSettings | null): Cadence | null {
  return settings?.cadence ?? null;
}

export function timeUpOf(settings: RoomSettings | null): TimeUp | null {
  return settings?.timeUp ?? null;
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
export function withTeam(settings: RoomSettings | null, changes: Pick<SettingsChanges, "roster" | "cadence" | "timeUp">): RoomSettings | null {
  const next = withFeatures(settings, changes);
  return next && next.roster === undefined && next.cadence === undefined && next.timeUp !== undefined ? withFeatures(next, { timeUp: null }) : next;
}
