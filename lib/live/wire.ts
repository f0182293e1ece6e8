// The wire in one place: the name and the data of every event a room's listeners get, by
// whichever transport, and the room as the JSON API answers it. The transports frame these
// (sse.ts as Server-Sent Events, ws.ts as socket messages; long-poll answers the room's
// JSON); the page imports the same types, so that it reads what the server writes.
// PROTOCOL.md's events are TIMER_REQUEST, GOAL_REQUEST, INITIAL_HISTORY and KEEP_ALIVE; the
// others are names the original page and the mob CLI do not know, so they ignore them.
import { isoTime } from "../base/clock.ts";
import { endOf, NO_TIMER, type CadenceCause, type GoalState, type RoomChange, type RosterCause, type SettingsCause, type TimeUpCause, type TimerRequest } from "../domain/changes.ts";
import { hooksShown, type HookSummary, type HookView } from "../domain/hooks.ts";
import { ownerOf, ownerStatus, type OwnerStatus } from "../domain/owner.ts";
import type { Room } from "../domain/room.ts";
import type { Cadence, RoomSettings, Roster } from "../domain/settings.ts";
import { cadenceOf, optedIn, rosterOf } from "../domain/team.ts";
import { teamView, type TeamView } from "../domain/team-view.ts";

/** The empty request: the room has no history (any more). */
export type EmptyRequest = typeof NO_TIMER;

/** What TIMER_REQUEST carries: an entry, or the empty request. */
export type TimerRequestData = TimerRequest | EmptyRequest;

/** TEAM_UPDATE's data: the roster and cadence as they are now, and why (null: a new listener's opening). */
export interface TeamUpdate {
  roster: Roster | null;
  cadence: Cadence | null;
  cause: RosterCause | CadenceCause | null;
}

/** TIME_UP's data: the cause without its type, which the event's name says. */
export type TimeUpData = Omit<TimeUpCause, "type">;

/** A hook as it is shown: whole (its URL and secret masked) to a member, only its summary to a viewer of a claimed room. */
export type HookShown = HookSummary & Partial<Omit<HookView, keyof HookSummary>>;

/** HOOKS_UPDATE's data: the room's hooks, as the API shows them to a listener who may hold no key. */
export interface HooksUpdate {
  hooks: HookShown[];
}

/** HERE_UPDATE's data: who is here in a team's room (lib/domain/presence.ts), sorted. */
export interface HereUpdate {
  here: readonly string[];
}

/** An event stream's KEEP_ALIVE says nothing: a request with every field null. */
const KEEP_ALIVE_DATA = { timer: null, requested: null, user: null, nextUser: null, type: null };

/** Every event of a room, by name, with its data. */
export interface RoomEvents {
  INITIAL_HISTORY: readonly TimerRequest[];
  TIMER_REQUEST: TimerRequestData;
  GOAL_REQUEST: GoalState;
  /** null on a socket, whose pings a browser never sees. */
  KEEP_ALIVE: typeof KEEP_ALIVE_DATA | null;
  TEAM_UPDATE: TeamUpdate;
  TIME_UP: TimeUpData;
  HOOKS_UPDATE: HooksUpdate;
  /** Who is here changed (and once after the opening of a team's room): never numbered, as it is no change of the room. */
  HERE_UPDATE: HereUpdate;
  /** The room was claimed, released or made private: its page shows who may change it. Never the hash. */
  ROOM_OWNER: OwnerStatus;
}

/** The start page's events (its stream, /events): open room listeners, and rooms whose timer runs. */
export interface CountEvents {
  ACTIVE_USERS_UPDATE: number;
  ACTIVE_TIMERS_UPDATE: number;
}

type Events = RoomEvents & CountEvents;
export type EventName = keyof Events;

/** One event, its data as JSON (one line: user text can never start a new SSE field). */
export interface Message {
  name: EventName;
  data: string;
  /** The room's `seq` the event brings a listener up to; a client resumes from it. */
  id?: number;
}

export function message<N extends EventName>(name: N, data: Events[N], id?: number): Message {
  return id === undefined ? { name, data: JSON.stringify(data) } : { name, data: JSON.stringify(data), id };
}

export const KEEP_ALIVE_JSON = JSON.stringify(KEEP_ALIVE_DATA satisfies RoomEvents["KEEP_ALIVE"]);

/** The web page resets itself on the empty request. */
const NO_TIMER_MESSAGE = message("TIMER_REQUEST", NO_TIMER);

/** Fails to compile when a kind is not handled: the switch it ends is then not exhaustive. */
function unhandled(kind: never): never {
  throw new Error(`no event for ${JSON.stringify(kind)}`);
}

function teamUpdate(settings: RoomSettings | null, cause: TeamUpdate["cause"]): Message {
  return message("TEAM_UPDATE", { roster: rosterOf(settings), cadence: cadenceOf(settings), cause });
}

function settingsMessage(settings: RoomSettings | null, cause: SettingsCause): Message | null {
  switch (cause.type) {
    case "roster":
    case "cadence":
      return teamUpdate(settings, cause);
    case "time-up": {
      const { type: _type, ...timeUp } = cause;
      return message("TIME_UP", timeUp);
    }
    case "hooks":
      // A claimed room's listeners may hold no key: they hear only the summary, and its team's
      // pages read the rest with the key.
      return message("HOOKS_UPDATE", { hooks: hooksShown(settings, ownerOf(settings) === null) });
    case "owner":
      return message("ROOM_OWNER", ownerStatus(ownerOf(settings)));
    case "targets":
      // A member's own target is theirs and the team's, read with the key; no page shows it live.
      return null;
    default:
      return unhandled(cause);
  }
}

/** The event a change is announced as; null for a change listeners are not told of. */
export function changeMessage(change: RoomChange): Message | null {
  switch (change.kind) {
    case "timer":
    case "break":
      return message("TIMER_REQUEST", change.entry);
    case "goal-set":
    case "goal-deleted":
      return message("GOAL_REQUEST", change.goal);
    case "history-expired":
      return NO_TIMER_MESSAGE;
    case "settings":
      return settingsMessage(change.settings, change.cause);
    default:
      return unhandled(change);
  }
}

/** Nobody here: one list, so that what is cached by the list it was made for keeps. */
export const NO_ONE: readonly string[] = Object.freeze([]);

/** Who is here in a team's room. */
export function hereMessage(here: readonly string[]): Message {
  return message("HERE_UPDATE", { here });
}

/**
 * What a new listener of a room gets first: history but the latest, the latest timer, the
 * goal (with the room's number); then, in a team's room only, the roster and cadence, and
 * who is here when anyone is (a listener told nothing of it knows nobody is).
 */
export function openingMessages(room: Room, here: readonly string[]): Message[] {
  const latest = room.latest;
  const opening = [
    message("INITIAL_HISTORY", room.history.slice(0, -1)),
    latest ? message("TIMER_REQUEST", latest) : NO_TIMER_MESSAGE,
    message("GOAL_REQUEST", room.goal, room.seq),
  ];
  if (optedIn(room.settings)) opening.push(teamUpdate(room.settings, null));
  if (here.length > 0 && optedIn(room.settings)) opening.push(hereMessage(here));
  return opening;
}

/** The latest timer or break, with when it ends and whether it still runs. */
export interface CurrentTimer extends TimerRequest {
  endsAt: string;
  running: boolean;
}

/** The room as `GET /api/rooms/<room>` (and each long-poll answer) has it. */
export interface RoomData {
  room: string;
  seq: number;
  current: CurrentTimer | null;
  history: readonly TimerRequest[];
  goal: GoalState;
  /** Only in a team's room: every other room answers as PROTOCOL.md's original did. */
  team?: TeamView;
  /** Only in a team's room: who is here, sorted. */
  here?: readonly string[];
}

/** The room as data at `now`; `here`: who is here, shown in a team's room only. */
export function roomData(room: Room, now: number, here: readonly string[]): RoomData {
  const latest = room.latest;
  const current: CurrentTimer | null = latest
    ? { ...latest, endsAt: isoTime(endOf(latest)), running: room.isRunning(now) }
    : null;
  const team = teamView(room, now, here);
  return { room: room.name, seq: room.seq, current, history: room.history, goal: room.goal, ...(team && { team, here }) };
}

/** The entity tag of a room's state: its number, which goes up with every change. */
export function roomTag(seq: number): string {
  return `"${seq}"`;
}

/** The body of `GET /<room>/goal`. */
export function goalJson(goal: string): string {
  return JSON.stringify({ goal });
}
