// How a team's rotation is counted: each numbered change of a room that opted in is folded
// into its cursor (where the counting stands: the entry still running, the work since the
// latest break, who had a turn this round) and into counts per day and per person. Decided
// here once and pure: the instance that commits a change hands the counts to the store in
// the same write, so that with several instances each change counts once, and every
// instance's copy of the room folds the change into its cursor the same way.
import type { RoomChange, TimerRequest } from "./changes.ts";
import { DAY_MS } from "../base/clock.ts";
import { ranFor } from "./cadence.ts";
import { isBlank } from "./rules.ts";
import type { RoomSettings } from "./settings.ts";
import { cadenceOf, optedIn, rosterOf } from "./team.ts";

/** Where the counting of one room stands, kept with the room. */
export interface StatsCursor {
  /** The latest timer or break, counted once its end is known (run out, replaced, stopped). */
  open: TimerRequest | null;
  /** UTC day of the latest entry counted, "YYYY-MM-DD"; "" before any. */
  day: string;
  /** Work since the latest break on `day`, ms: a stretch ends with a break or with the day. */
  stretchMs: number;
  /** When each person's latest turn ended, ms since the epoch: the time to their next turn starts there. */
  lastEnd: Record<string, number>;
  /** Who had a turn since the round began. */
  round: string[];
  /** Rounds completed since time's up last suggested a retro. */
  roundsSinceRetro: number;
}

/** What a count of a day adds up: a sum, or the least or the most seen. */
export type CountOp = "add" | "min" | "max";

/** The counts kept per day and person; the room's own (breaks, stretch, rounds) under ROOM_WIDE. */
export const COUNT_OPS = {
  turns: "add",
  workMs: "add",
  gaps: "add",
  gapMs: "add",
  gapMinMs: "min",
  gapMaxMs: "max",
  breaks: "add",
  breakMs: "add",
  stretchMs: "max",
  rounds: "add",
} as const satisfies Record<string, CountOp>;
export type CountField = keyof typeof COUNT_OPS;

/** The person of the counts that are the whole room's. */
export const ROOM_WIDE = "";
/** Whom turns count under when a name is taken out, blank, or per-person statistics are off. */
export const SOMEONE = "someone";

/** One count of one day: `value` merged into what is kept by `op`. Whole numbers only. */
export interface StatsCount {
  day: string;
  person: string;
  field: CountField;
  op: CountOp;
  value: number;
}

/** What a committed change writes beside itself: the room's cursor after it, and its counts. */
export interface StatsTally {
  cursor: StatsCursor;
  counts: StatsCount[];
  /**
   * Members who have just taken their name out: every count kept under their name goes
   * under SOMEONE, each merged as its field says, so that no day kept still names them.
   */
  forget?: string[];
}

/** People whose latest turn end a cursor remembers at most: a roster's worth, and a few guests. */
const MAX_REMEMBERED = 60;

export const NO_CURSOR: StatsCursor = Object.freeze({ open: null, day: "", stretchMs: 0, lastEnd: {}, round: [], roundsSinceRetro: 0 }) as StatsCursor;

const isWhole = (value: unknown): value is number => Number.isInteger(value);

/** A cursor read back from an import; undefined when it is not one (the room then counts from scratch). */
export function decodeCursor(value: unknown): StatsCursor | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { open, day, stretchMs, lastEnd, round, roundsSinceRetro } = value as Record<string, unknown>;
  const entry = open as TimerRequest | null;
  const isEntry = entry === null || (typeof entry === "object" && typeof entry.requested === "string" && isWhole(entry.timer) && (entry.type === "TIMER" || entry.type === "BREAKTIMER"));
  const ends = typeof lastEnd === "object" && lastEnd !== null ? Object.values(lastEnd) : null;
  if (!isEntry || typeof day !== "string" || !isWhole(stretchMs) || !ends?.every(isWhole) || !isWhole(roundsSinceRetro)) return undefined;
  if (!Array.isArray(round) || !round.every((name) => typeof name === "string")) return undefined;
  return { open: entry, day, stretchMs, lastEnd: lastEnd as Record<string, number>, round, roundsSinceRetro };
}

/** Merges two values of a count as its field says. */
export function merge(op: CountOp, kept: number, value: number): number {
  return op === "add" ? kept + value : op === "min" ? Math.min(kept, value) : Math.max(kept, value);
}

/** Days since the epoch of ms since the epoch: a UTC day compared without formatting a date. */
const dayNumber = (ms: number): number => Math.floor(ms / DAY_MS);

/** UTC day of an ISO time or of ms since the epoch, "YYYY-MM-DD". */
export function dayOf(time: string | number): string {
  return typeof time === "string" ? time.slice(0, 10) : new Date(time).toISOString().slice(0, 10);
}

/**
 * The tally of `change` in a room whose cursor is `cursor` and whose settings are
 * `settings` before it; null when the change counts nothing (a goal, an expiry) or the room never opted in. `named`:
 * whether turns are counted per person (ROOM_STATS); a member who took their name out counts
 * as SOMEONE either way.
 */
export function tally(cursor: StatsCursor | null, settings: RoomSettings | null, change: RoomChange, named: boolean): StatsTally | null {
  const after = change.kind === "settings" ? change.settings : settings;
  if (cursor === null && !optedIn(after)) return null;
  const counting = new Counting({ ...(cursor ?? NO_CURSOR) }, after, named);
  switch (change.kind) {
    case "timer":
    case "break":
      counting.close(Date.parse(change.entry.requested));
      counting.next.open = change.entry.timer === 0 ? null : change.entry;
      break;
    case "settings": {
      const { cause } = change;
      if (cause.type === "time-up") {
        if (counting.next.open?.requested === cause.entry.requested) counting.close(Date.parse(cause.ended));
        if (cause.retroDue) counting.next.roundsSinceRetro = 0;
      } else if (cause.type === "roster") {
        // A member removed or away may be the one the round waited for.
        counting.completeRound();
        const forget = takenOut(settings, after);
        if (forget.length > 0) return { cursor: counting.next, counts: counting.counts, forget };
      } else {
        // The cadence, hooks and owner change nothing of the counting.
        return null;
      }
      break;
    }
    default:
      return null;
  }
  return { cursor: counting.next, counts: counting.counts };
}

/** Members anonymous in `after` who were not in `before`. */
function takenOut(before: RoomSettings | null, after: RoomSettings | null): string[] {
  const was = new Set(rosterOf(before)?.members.filter((m) => m.anonymous).map((m) => m.name));
  return (rosterOf(after)?.members ?? []).filter((m) => m.anonymous && !was.has(m.name)).map((m) => m.name);
}

/**
 * Whether time's up of the room's running entry, ending at `ended`, suggests a retro: the
 * cadence asks for one every N full rounds, and N were completed, that turn's included.
 */
export function retroDueAt(cursor: StatsCursor | null, settings: RoomSettings | null, ended: number): boolean {
  const every = cadenceOf(settings)?.retroRounds ?? null;
  if (every === null || cursor === null) return false;
  const counting = new Counting({ ...cursor }, settings, false);
  counting.close(ended);
  return counting.next.roundsSinceRetro >= every;
}

/** One change's counting: the cursor it leaves and the counts it adds. */
class Counting {
  readonly counts: StatsCount[] = [];

  constructor(
    readonly next: StatsCursor,
    private readonly settings: RoomSettings | null,
    private readonly named: boolean,
  ) {}

  /** Counts the open entry as having run until `at` (its end, or what replaced it). */
  close(at: number): void {
    const entry = this.next.open;
    this.next.open = null;
    if (!entry) return;
    const ran = ranFor(entry, at);
    if (ran === null) return;
    const start = Date.parse(entry.requested);
    const day = dayOf(entry.requested);
    if (day !== this.next.day) {
      this.next.day = day;
      this.next.stretchMs = 0;
    }
    if (entry.type === "BREAKTIMER") {
      this.add(day, ROOM_WIDE, "breaks", 1);
      this.add(day, ROOM_WIDE, "breakMs", ran);
      this.next.stretchMs = 0;
      return;
    }
    this.next.stretchMs += ran;
    this.add(day, ROOM_WIDE, "stretchMs", this.next.stretchMs);
    this.turn(entry.user, day, start, ran);
    this.completeRound();
  }

  private turn(user: string | null, day: string, start: number, ran: number): void {
    const person = this.personOf(user);
    this.add(day, person, "turns", 1);
    this.add(day, person, "workMs", ran);
    if (isBlank(user)) return;
    const lastEnd = this.next.lastEnd[user];
    // The time to the next turn is counted within a day: a night is not a wait in the rotation.
    if (person !== SOMEONE && lastEnd !== undefined && lastEnd <= start && dayNumber(lastEnd) === dayNumber(start)) {
      const gap = start - lastEnd;
      this.add(day, person, "gaps", 1);
      this.add(day, person, "gapMs", gap);
      this.add(day, person, "gapMinMs", gap);
      this.add(day, person, "gapMaxMs", gap);
    }
    // A copy: the cursor before the change stays as it was. The latest ends go last, so
    // that beyond MAX_REMEMBERED the one who waited longest is forgotten.
    const ends = { ...this.next.lastEnd };
    delete ends[user];
    ends[user] = start + ran;
    const names = Object.keys(ends);
    if (names.length > MAX_REMEMBERED) delete ends[names[0]!];
    this.next.lastEnd = ends;
    if (!this.next.round.includes(user)) this.next.round = [...this.next.round, user];
  }

  /** A round is complete once every member present had a turn since it began. */
  completeRound(): void {
    const present = rosterOf(this.settings)?.members.filter((member) => !member.away) ?? [];
    if (present.length === 0 || this.next.day === "") return;
    if (!present.every((member) => this.next.round.includes(member.name))) return;
    this.add(this.next.day, ROOM_WIDE, "rounds", 1);
    this.next.round = [];
    this.next.roundsSinceRetro++;
  }

  private personOf(user: string | null): string {
    if (!this.named || isBlank(user)) return SOMEONE;
    const member = rosterOf(this.settings)?.members.find((m) => m.name === user);
    return member?.anonymous ? SOMEONE : user;
  }

  private add(day: string, person: string, field: CountField, value: number): void {
    this.counts.push({ day, person, field, op: COUNT_OPS[field], value });
  }
}
