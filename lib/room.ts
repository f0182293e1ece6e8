// One room's state and rules, free of HTTP and storage: history, who is next, the goal,
// and expiry. Every function that depends on time takes `now`.
import { isoTime } from "./clock.ts";

export type TimerType = "TIMER" | "BREAKTIMER";

/** The timer request object of PROTOCOL.md; field order is the wire order. */
export interface TimerRequest {
  timer: number;
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

const NOT_BLANK = /\S/;

/** Null, empty or only white space; tested without trim()'s copy, as this runs on every PUT. */
function isBlank(name: string | null): name is null {
  return name === null || !NOT_BLANK.test(name);
}

/**
 * Who is next, per PROTOCOL.md, kept incrementally so that a PUT costs the same with 20,000
 * entries of history as with none. The answer for `u` is the name right after the last
 * occurrence of `u` in the list of TIMER users, once trailing `u`s are dropped: that is
 * the latest name that directly followed a run of `u`s, which `follower` records.
 */
export class Rotation {
  private first: string | null = null;
  private last: string | null = null;
  private readonly follower = new Map<string, string>();

  add(user: string | null): void {
    if (isBlank(user)) return;
    if (this.first === null) this.first = user;
    if (this.last !== null && this.last !== user) this.follower.set(this.last, user);
    this.last = user;
  }

  nextAfter(user: string | null): string | null {
    if (this.first === null) return null;
    if (!isBlank(user)) {
      const follower = this.follower.get(user);
      if (follower !== undefined) return follower;
      // Without a follower, a list that starts with `user` holds nothing but `user`.
      if (this.first === user) return null;
    }
    return this.first;
  }
}

export class Room {
  readonly history: TimerRequest[] = [];
  goal: GoalState = NO_GOAL;
  /** Sequence number of the latest event, for SSE `id:` lines. */
  seq = 0;
  private rotation = new Rotation();
  private requestedMs: number[] = [];

  constructor(readonly name: string) {}

  get latest(): TimerRequest | undefined {
    return this.history[this.history.length - 1];
  }

  /** The entry a new request would add, without adding it. */
  nextRequest(type: TimerType, minutes: number, user: string | null, now: number): TimerRequest {
    let nextUser: string | null;
    if (this.history.length === 0) nextUser = null;
    else if (type === "TIMER") nextUser = this.rotation.nextAfter(user);
    else nextUser = this.latest!.nextUser;
    return { timer: minutes, requested: isoTime(now), user, nextUser, type };
  }

  /** `requestedMs` is `request.requested` as a number, when the caller has it at hand. */
  add(request: TimerRequest, requestedMs = Date.parse(request.requested)): void {
    this.history.push(request);
    this.requestedMs.push(requestedMs);
    if (request.type === "TIMER") this.rotation.add(request.user);
  }

  /** Drops entries requested before `cutoff`; says whether any went. */
  expire(cutoff: number): boolean {
    let drop = 0;
    while (drop < this.requestedMs.length && this.requestedMs[drop]! < cutoff) drop++;
    if (drop === 0) return false;
    this.history.splice(0, drop);
    this.requestedMs.splice(0, drop);
    this.rotation = new Rotation();
    for (const entry of this.history) if (entry.type === "TIMER") this.rotation.add(entry.user);
    return true;
  }

  isRunning(now: number): boolean {
    const latest = this.latest;
    if (!latest) return false;
    return this.requestedMs[this.requestedMs.length - 1]! + latest.timer * 60_000 > now;
  }

  get isEmpty(): boolean {
    return this.history.length === 0 && this.goal.goal === null;
  }
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
