// The rules every way in gets for free: names, clamping, goal truncation.

/** The settings the rules read; a subset of Config, so the domain needs no HTTP settings. */
export interface Rules {
  maxMinutes: number;
  maxGoalLength: number;
  maxUserLength: number;
  maxRoomNameLength: number;
  /** How long history is kept, in ms. */
  historyMs: number;
  /** Entries a room's history keeps at most; older ones go first. */
  maxHistory: number;
}

const ROOM_NAME = /^[A-Za-z0-9_-]+$/;

/** Why `name` cannot be a room's name, or null when it can. */
export function roomNameProblem(name: string, maxLength: number): string | null {
  if (name.length === 0) return "room name is empty";
  if (name.length > maxLength) return `room name is longer than ${maxLength} characters`;
  if (!ROOM_NAME.test(name)) return 'room name may only contain letters A-Z and a-z, digits, "_" and "-"';
  return null;
}

const NOT_BLANK = /\S/;

/** Null, empty or only white space; tested without trim()'s copy, as this runs on every PUT. */
export function isBlank(name: string | null): name is null {
  return name === null || !NOT_BLANK.test(name);
}

/** Cuts a goal as the original does: longer than `max` becomes its first max-4 characters and "...". */
export function truncateGoal(goal: string, max: number): string {
  if (goal.length <= max) return goal;
  let head = goal.slice(0, max - 4);
  // Never leave half of a surrogate pair (an emoji) behind.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}...`;
}

export function clampMinutes(minutes: number, max: number): number {
  return Math.min(Math.max(minutes, 0), max);
}
