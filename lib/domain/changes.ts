// What can happen to a room, as values: the commands a client asks for, the changes the
// core decides on (numbered, stored and announced), and the events listeners receive.
// Field order of TimerRequest and GoalState is PROTOCOL.md's wire order.
import type { RoomSettings } from "./settings.ts";

export type TimerType = "TIMER" | "BREAKTIMER";

/** The timer request object of PROTOCOL.md. */
export interface TimerRequest {
  timer: number;
  /** RFC 3339 with milliseconds, UTC: a menu-bar client refuses timestamps without fractions. */
  requested: string;
  user: string | null;
  nextUser: string | null;
  type: TimerType;
}

export interface GoalState {
  goal: string | null;
  user: string | null;
  requested: string | null;
}

/** When `entry` ends, ms since the epoch: its start and its minutes, as every client counts it. */
export function endOf(entry: TimerRequest): number {
  return Date.parse(entry.requested) + entry.timer * 60_000;
}

/** Whether `entry` still runs at `now`; a stop (a 0-minute timer) never does. */
export function runsAt(entry: TimerRequest, now: number): boolean {
  return entry.timer > 0 && endOf(entry) > now;
}

export const NO_TIMER = Object.freeze({ timer: 0, requested: null, user: null, nextUser: null, type: null });
export const NO_GOAL: GoalState = Object.freeze({ goal: null, user: null, requested: null });

/** How a roster changed: an edit of the team's, the roster dropped, or a user who joined at its end. */
export type RosterAction = "add" | "remove" | "move" | "shuffle" | "away" | "back" | "role" | "anonymous" | "named" | "skip-absent" | "clear" | "join";

/** What listeners are told when the roster changes: how, and by whom. */
export interface RosterCause {
  type: "roster";
  action: RosterAction;
  user: string | null;
}

export interface CadenceCause {
  type: "cadence";
  user: string | null;
}

/** What listeners are told when a timer or break has run to its end. */
export interface TimeUpCause {
  type: "time-up";
  /** The timer or break that ended. */
  entry: TimerRequest;
  ended: string;
  /** Announced only after a restart, for a timer that ended while the server was down. */
  late: boolean;
  /** Who takes the next turn, by the roster as it is now when the room has one. */
  next: string | null;
  /** The team's cadence asks for a break now. */
  breakDue: boolean;
  /**
   * The team's cadence asks for a retro now: its number of full rounds were completed since
   * the last time's up that said so. Only there when true, so that a team without retros
   * hears time's up as before.
   */
  retroDue?: true;
}

export type HookAction = "added" | "removed" | "resumed" | "failed" | "delivered";

export interface HooksCause {
  type: "hooks";
  action: HookAction;
  /** The hook's id. */
  id: string;
}

/** What happened to a member's own target: set (anew, or again to resume it), removed, or a delivery's outcome. */
export type TargetAction = "set" | "removed" | "failed" | "delivered";

export interface TargetsCause {
  type: "targets";
  action: TargetAction;
  /** Whose target it is. */
  member: string;
}

export type OwnerAction = "claimed" | "rotated" | "released" | "private" | "public";

export interface OwnerCause {
  type: "owner";
  action: OwnerAction;
}

/**
 * Why a room's settings changed: what its listeners are told, and what goes out to the
 * team. `type` names the happening; the rest is its detail, decided with the change.
 */
export type SettingsCause = RosterCause | CadenceCause | TimeUpCause | HooksCause | TargetsCause | OwnerCause;

/** What a client asks for; the core checks it and decides the change. */
export type RoomCommand =
  | { kind: "start"; type: TimerType; minutes: number; user: string | null }
  | { kind: "set-goal"; goal: string; user: string | null }
  | { kind: "delete-goal"; user: string | null };

/** A decided change: everything in it is final, so every store and instance applies the same. */
export type RoomChange =
  | { kind: "timer"; entry: TimerRequest }
  | { kind: "break"; entry: TimerRequest }
  | { kind: "goal-set"; goal: GoalState }
  | { kind: "goal-deleted"; goal: GoalState }
  /** The sweep emptied the room's history: entries requested before `cutoff` (ms) are gone. */
  | { kind: "history-expired"; cutoff: number }
  /** The room's settings are now `settings` (null: none left), because of `cause`. */
  | { kind: "settings"; settings: RoomSettings | null; cause: SettingsCause };

/** A committed change of one room, numbered: `seq` goes up by one per change of the room. */
export interface RoomEvent {
  room: string;
  seq: number;
  change: RoomChange;
}
