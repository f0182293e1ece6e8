// One room's state and rules, free of transport and storage: `decide` turns a command into
// a change (or nothing), `apply` makes a change, `trim` lets old history go. Every function
// that depends on time takes `now`.
import { isoTime } from "../base/clock.ts";
import { NO_GOAL, type GoalState, type RoomChange, type RoomCommand, type TimerRequest } from "./changes.ts";
import { DOMAIN_ERRORS } from "./errors.ts";
import { passedOver } from "./presence.ts";
import { nextOnRoster } from "./roster.ts";
import { tally, type StatsCursor, type StatsTally } from "./rotation-count.ts";
import { Rotation } from "./rotation.ts";
import { clampMinutes, isBlank, truncateGoal, type Rules } from "./rules.ts";
import type { RoomSettings } from "./settings.ts";
import { rosterOf } from "./team.ts";

/** The state a store keeps of a room, and gives back. */
export interface RoomState {
  name: string;
  /** Oldest first. */
  history: TimerRequest[];
  goal: GoalState;
  /** Number of the room's latest change. */
  seq: number;
  /** What the room keeps beyond PROTOCOL.md; null for a room that never opted in. */
  settings: RoomSettings | null;
  /** Where the counting of its rotation stands; only there for a room that opted in. */
  statsCursor?: StatsCursor;
}

function checkUser(user: string | null, rules: Rules): void {
  if (user !== null && user.length > rules.maxUserLength) {
    throw DOMAIN_ERRORS.userTooLong.with({ max: rules.maxUserLength });
  }
}

export class Room {
  readonly history: TimerRequest[] = [];
  goal: GoalState = NO_GOAL;
  settings: RoomSettings | null = null;
  /** Where the counting of the team's rotation stands (rotation-count.ts); null before the room opted in. */
  statsCursor: StatsCursor | null = null;
  /** Number of the latest change, for SSE `id:` lines. */
  seq = 0;
  /** Goes up on every change of what a new listener would be sent, trims included. */
  version = 0;
  private rotation = new Rotation();
  /** `requested` of each history entry in ms, parsed once. */
  private requestedMs: number[] = [];

  constructor(readonly name: string) {}

  static from(state: RoomState): Room {
    const room = new Room(state.name);
    for (const entry of state.history) room.push(entry, Date.parse(entry.requested));
    room.goal = state.goal;
    room.seq = state.seq;
    room.settings = state.settings;
    room.statsCursor = state.statsCursor ?? null;
    return room;
  }

  get latest(): TimerRequest | undefined {
    return this.history[this.history.length - 1];
  }

  /**
   * The change `command` makes at `now`, or null when it changes nothing; throws when it is
   * refused. `here`: who is here, for a roster that passes over who is not (else null).
   */
  decide(command: RoomCommand, now: number, rules: Rules, here: readonly string[] | null = null): RoomChange | null {
    checkUser(command.user, rules);
    switch (command.kind) {
      case "start": {
        const { type, user } = command;
        const roster = rosterOf(this.settings);
        let nextUser: string | null;
        // A team with a roster passes the turn by it; PROTOCOL.md's rule otherwise.
        if (type === "TIMER" && roster) nextUser = nextOnRoster(roster, user, passedOver(roster, here, this.history, this.goal, now));
        else if (this.history.length === 0) nextUser = null;
        else if (type === "TIMER") nextUser = this.rotation.nextAfter(user);
        else nextUser = this.latest!.nextUser;
        const entry: TimerRequest = { timer: clampMinutes(command.minutes, rules.maxMinutes), requested: isoTime(now), user, nextUser, type };
        return type === "TIMER" ? { kind: "timer", entry } : { kind: "break", entry };
      }
      case "set-goal":
        if (isBlank(command.goal)) throw DOMAIN_ERRORS.emptyGoal.with();
        return { kind: "goal-set", goal: { goal: truncateGoal(command.goal, rules.maxGoalLength), user: command.user, requested: isoTime(now) } };
      case "delete-goal":
        // Only a goal that is there is deleted, and only then announced.
        if (this.goal.goal === null) return null;
        return { kind: "goal-deleted", goal: { goal: null, user: command.user, requested: isoTime(now) } };
    }
  }

  /**
   * Makes `change`, numbered `seq`. `maxHistory` caps the history, oldest entries first.
   * `counted` is the change's tally when its writer has it already (the cursor after it, or
   * null when it counts nothing); otherwise the change is counted here, as every copy of the
   * room counts it the same.
   */
  apply(change: RoomChange, seq: number, maxHistory: number, counted: StatsTally | null = tally(this.statsCursor, this.settings, change, true)): void {
    if (counted) this.statsCursor = counted.cursor;
    switch (change.kind) {
      case "timer":
      case "break":
        this.push(change.entry, Date.parse(change.entry.requested));
        if (this.history.length > maxHistory) this.drop(this.history.length - maxHistory);
        break;
      case "goal-set":
      case "goal-deleted":
        this.goal = change.goal;
        break;
      case "history-expired":
        this.trim(change.cutoff);
        break;
      case "settings":
        this.settings = change.settings;
        break;
    }
    this.seq = seq;
    this.version++;
  }

  private push(entry: TimerRequest, requestedMs: number): void {
    this.history.push(entry);
    this.requestedMs.push(requestedMs);
    if (entry.type === "TIMER") this.rotation.add(entry.user);
  }

  /** Drops the `count` oldest entries; the rotation is rebuilt from what is left. */
  private drop(count: number): void {
    this.history.splice(0, count);
    this.requestedMs.splice(0, count);
    this.rotation = new Rotation();
    for (const entry of this.history) if (entry.type === "TIMER") this.rotation.add(entry.user);
  }

  /**
   * Lets go of entries requested before `cutoff`, and of a goal deletion that old (the
   * deleting user and time are shown to new listeners for as long as history is kept).
   * Says whether anything went. Not a numbered change unless it empties the history.
   */
  trim(cutoff: number): boolean {
    let drop = 0;
    while (drop < this.requestedMs.length && this.requestedMs[drop]! < cutoff) drop++;
    const staleDeletion = this.goal.goal === null && this.goal.requested !== null && Date.parse(this.goal.requested) < cutoff;
    if (drop === 0 && !staleDeletion) return false;
    if (drop > 0) this.drop(drop);
    if (staleDeletion) this.goal = NO_GOAL;
    this.version++;
    return true;
  }

  /** Whether the history would be emptied by a trim at `cutoff`: the sweep's numbered change. */
  emptiedBy(cutoff: number): boolean {
    return this.requestedMs.length > 0 && this.requestedMs[this.requestedMs.length - 1]! < cutoff;
  }

  isRunning(now: number): boolean {
    const latest = this.latest;
    if (!latest) return false;
    return this.requestedMs[this.requestedMs.length - 1]! + latest.timer * 60_000 > now;
  }

  /** Nothing stored: no history, no goal, no recent goal deletion, no settings. */
  get isEmpty(): boolean {
    return this.history.length === 0 && this.goal.requested === null && this.settings === null;
  }

  state(): RoomState {
    const state: RoomState = { name: this.name, history: this.history, goal: this.goal, seq: this.seq, settings: this.settings };
    if (this.statsCursor) state.statsCursor = this.statsCursor;
    return state;
  }
}
