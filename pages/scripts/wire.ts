// The shapes of the room's events, as PROTOCOL.md describes them.

export type TimerType = "TIMER" | "BREAKTIMER";

/** A timer or break from the history, or the latest one. */
export interface TimerEntry {
  timer: number;
  requested: string;
  user: string | null;
  nextUser: string | null;
  type: TimerType;
}

/** What TIMER_REQUEST carries: an entry, or the empty request of a room with no history. */
export interface TimerRequest {
  timer: number | null;
  requested: string | null;
  user: string | null;
  nextUser: string | null;
  type: TimerType | null;
}

export interface GoalRequest {
  goal: string | null;
  user: string | null;
  requested: string | null;
}

export function isTimerEntry(entry: unknown): entry is TimerEntry {
  if (entry === null || typeof entry !== "object") return false;
  const candidate = entry as Partial<TimerEntry>;
  return (
    typeof candidate.requested === "string" &&
    (candidate.type === "TIMER" || candidate.type === "BREAKTIMER") &&
    Number.isFinite(candidate.timer)
  );
}

/** The empty request: the room has no history (any more). */
export function isEmptyRequest(request: TimerRequest): boolean {
  return request.timer === 0 && request.user === null;
}
