// The wire of a team's room, beside PROTOCOL.md's: TEAM_UPDATE (the roster and cadence,
// after each edit and once after a new listener's opening events) and TIME_UP. Names the
// original page and the mob CLI do not know, so they ignore them; a room that never opted
// in sends neither.
import type { RoomSettings, SettingsCause } from "../domain/changes.ts";
import type { Room } from "../domain/room.ts";
import { cadenceOf, optedIn, rosterOf } from "../domain/team.ts";

export interface Message {
  name: string;
  data: string;
}

function teamUpdate(settings: RoomSettings | null, cause: SettingsCause | null): Message {
  return { name: "TEAM_UPDATE", data: JSON.stringify({ roster: rosterOf(settings), cadence: cadenceOf(settings), cause }) };
}

/** The event of a settings change of the team's, or null for another feature's. */
export function teamMessage(settings: RoomSettings | null, cause: SettingsCause): Message | null {
  switch (cause.type) {
    case "roster":
    case "cadence":
      return teamUpdate(settings, cause);
    case "time-up": {
      const { type: _type, ...timeUp } = cause;
      return { name: "TIME_UP", data: JSON.stringify(timeUp) };
    }
    default:
      return null;
  }
}

/** What a new listener of a team's room gets after the three opening events: the roster and cadence as they are. */
export function teamOpening(room: Room): Message | null {
  return optedIn(room.settings) ? teamUpdate(room.settings, null) : null;
}
