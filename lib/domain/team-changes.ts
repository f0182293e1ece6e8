// The changes a team makes to its room's settings, as deciders for Rooms.commitDecided:
// roster edits, the cadence, a user joining the roster, and time's up. Each decides from the
// room as it is when the change is stored, so that instances racing for one room agree.
import { isoTime } from "../base/clock.ts";
import { endOf, type RoomChange, type SettingsCause, type TimeUpCause } from "./changes.ts";
import { breakDueAfterLatest, checkCadence } from "./cadence.ts";
import { DOMAIN_ERRORS } from "./errors.ts";
import type { RandomInt } from "./names.ts";
import type { Room } from "./room.ts";
import type { Decide } from "./rooms.ts";
import { editRoster, joined, rosterFromHistory, type RosterEdit } from "./roster.ts";
import type { Rules } from "./rules.ts";
import { targetsAfterRoster } from "./personal-targets.ts";
import { withFeatures, type Cadence, type Roster, type RoomSettings } from "./settings.ts";
import { cadenceOf, optedIn, rosterOf, timeUpOf, withTeam } from "./team.ts";
import { nextAfter } from "./team-view.ts";
import { retroDueAt } from "./rotation-count.ts";

function settingsChange(settings: RoomSettings | null, cause: SettingsCause): RoomChange {
  return { kind: "settings", settings, cause };
}

function checkUser(user: string | null, rules: Rules): void {
  if (user !== null && user.length > rules.maxUserLength) throw DOMAIN_ERRORS.userTooLong.with({ max: rules.maxUserLength });
}

/** The settings with the roster `roster` (null: none); a member who left it takes their own target along. */
function withRoster(settings: RoomSettings | null, roster: Roster | null): RoomSettings | null {
  const targets = targetsAfterRoster(settings, roster);
  const next = withTeam(settings, { roster });
  return targets === undefined ? next : withFeatures(next, { targets });
}

/** An edit of the roster; a room without one starts from its history's users. */
export function rosterChange(edit: RosterEdit, user: string | null, rules: Rules, random: RandomInt): Decide {
  return (room) => {
    checkUser(user, rules);
    const roster = editRoster(rosterOf(room.settings) ?? rosterFromHistory(room.history), edit, random, rules.maxUserLength);
    return settingsChange(withRoster(room.settings, roster), { type: "roster", action: edit.action, user });
  };
}

/** The roster goes: `nextUser` is PROTOCOL.md's rule again. */
export function dropRosterChange(user: string | null, rules: Rules): Decide {
  return (room) => {
    checkUser(user, rules);
    if (rosterOf(room.settings) === null) return null;
    return settingsChange(withRoster(room.settings, null), { type: "roster", action: "clear", user });
  };
}

/** The cadence, or none when both parts are off. */
export function cadenceChange(cadence: Cadence, user: string | null, rules: Rules): Decide {
  return (room) => {
    checkUser(user, rules);
    checkCadence(cadence);
    const off = cadence.turns === null && cadence.minutes === null && cadence.retroRounds === undefined;
    if (off && cadenceOf(room.settings) === null) return null;
    return settingsChange(withTeam(room.settings, { cadence: off ? null : cadence }), { type: "cadence", user });
  };
}

/** A user who started a timer and is not on the roster joins at its end. */
export function joinChange(user: string): Decide {
  return (room) => {
    const roster = rosterOf(room.settings);
    const after = roster && joined(roster, user);
    if (!after) return null;
    return settingsChange(withTeam(room.settings, { roster: after }), { type: "roster", action: "join", user });
  };
}

/** When the room's latest entry ends, in ms; null for none, or a stop (a 0-minute timer), which never ends a turn. */
export function endOfLatest(room: Room): number | null {
  const latest = room.latest;
  if (!latest || latest.timer === 0) return null;
  return endOf(latest);
}

/**
 * Time's up for the entry requested at `requested`: once, in a room that opted in, when that
 * entry is still the latest (a replaced timer never fires) and has ended by `now`.
 */
export function timeUpChange(requested: string, late: boolean): Decide {
  return (room, now, here) => {
    const entry = room.latest;
    const ended = endOfLatest(room);
    if (!entry || entry.requested !== requested || ended === null || ended > now) return null;
    if (!optedIn(room.settings) || timeUpOf(room.settings)?.requested === requested) return null;
    const cause: TimeUpCause = {
      type: "time-up",
      entry,
      ended: isoTime(ended),
      late,
      next: nextAfter(room, entry, here ?? null, now),
      breakDue: breakDueAfterLatest(cadenceOf(room.settings), room.history),
    };
    if (retroDueAt(room.statsCursor, room.settings, ended)) cause.retroDue = true;
    return settingsChange(withTeam(room.settings, { timeUp: { requested } }), cause);
  };
}
