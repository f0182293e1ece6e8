// What can happen to a room, as values: the commands a client asks for, the changes the
// core decides on (numbered, stored and announced), and the events listeners receive.
// Field order of TimerRequest and GoalState is PROTOCOL.md's wire order.

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

export const NO_TIMER = Object.freeze({ timer: 0, requested: null, user: null, nextUser: null, type: null });
export const NO_GOAL: GoalState = Object.freeze({ goal: null, user: null, requested: null });

/**
 * What a room keeps beyond PROTOCOL.md, for what a team opts into (its roster, its hooks,
 * its key, ...): one value per room, stored whole with every change to it. A room that
 * never opted in has none, and behaves exactly as PROTOCOL.md says. Each feature adds its
 * own optional field; stores keep the value as JSON without looking inside.
 */
export interface RoomSettings {
  [feature: string]: unknown;
}

/**
 * Why a room's settings changed: what its listeners are told, and what goes out to the
 * team. `type` names the happening; the rest is its detail, decided with the change.
 */
export interface SettingsCause {
  type: string;
  [detail: string]: unknown;
}

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
