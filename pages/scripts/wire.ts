// The room's events as the page reads them. Their shapes are the server's own
// (lib/live/wire.ts), imported as types only, so that nothing of the server comes with the
// page; what is here guards what the page cannot take on trust.
import type { TimerRequest } from "../../lib/domain/changes.ts";
import type { RoomEvents, TimerRequestData } from "../../lib/live/wire.ts";

/** Event name → what the page does with the event's data. */
export type Handlers = { [N in keyof RoomEvents]?: (data: RoomEvents[N]) => void };

export function isTimerEntry(entry: unknown): entry is TimerRequest {
  if (entry === null || typeof entry !== "object") return false;
  const candidate = entry as Partial<TimerRequest>;
  return (
    typeof candidate.requested === "string" &&
    (candidate.type === "TIMER" || candidate.type === "BREAKTIMER") &&
    Number.isFinite(candidate.timer)
  );
}

/** The empty request: the room has no history (any more). */
export function isEmptyRequest(request: TimerRequestData): boolean {
  return request.timer === 0 && request.user === null;
}
