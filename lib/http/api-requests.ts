// The bodies of the JSON API and the commands of WebSocket clients, read into the core's
// commands. Like the original's bodies (requests.ts), what the core checks itself (lengths,
// blank goals, clamping) is left to it.
import type { RoomCommand, TimerType } from "../domain/changes.ts";
import type { Ref } from "../live/ws.ts";
import { HTTP_ERRORS } from "./errors.ts";
import { parseObject, parseUser } from "./requests.ts";

/** A whole number from the query, or null when absent; 400 when it is something else. */
export function wholeNumber(query: URLSearchParams, name: string): number | null {
  const raw = query.get(name);
  if (raw === null) return null;
  if (!/^\d{1,15}$/.test(raw)) throw HTTP_ERRORS.notWhole.with({ field: name });
  return Number(raw);
}

function startCommand(fields: Record<string, unknown>, type: TimerType): RoomCommand {
  const minutes = fields.minutes;
  if (typeof minutes !== "number" || !Number.isInteger(minutes)) throw HTTP_ERRORS.notWhole.with({ field: "minutes" });
  return { kind: "start", type, minutes, user: parseUser(fields) };
}

/** `POST /api/rooms/<room>/timer` or `/break`: `{"minutes": 10, "user": "alice"}`. */
export function parseStartBody(type: TimerType): (body: string) => RoomCommand {
  return (body) => startCommand(parseObject(body), type);
}

/** A socket message: a command for the room, a ping, or something the client is told is wrong. */
export type SocketRequest = { ref: Ref } & ({ kind: "command"; command: RoomCommand } | { kind: "ping" });

const MAX_REF_LENGTH = 64;

/** The `ref` of a message, or null when it has none or one that cannot be echoed. */
export function refOf(fields: Record<string, unknown>): Ref {
  const ref = fields.ref;
  if (typeof ref === "number" && Number.isFinite(ref)) return ref;
  if (typeof ref === "string" && ref.length <= MAX_REF_LENGTH) return ref;
  return null;
}

/**
 * `{"type": "timer" | "break", "minutes", "user", "ref"}`, `{"type": "goal", "goal", "user", "ref"}`,
 * `{"type": "deleteGoal", "user", "ref"}` or `{"type": "ping", "ref"}`. Throws 400s naming the problem.
 */
export function parseSocketMessage(fields: Record<string, unknown>): SocketRequest {
  const ref = refOf(fields);
  if (fields.ref !== undefined && fields.ref !== ref) throw HTTP_ERRORS.badRef.with({ max: MAX_REF_LENGTH });
  switch (fields.type) {
    case "timer":
      return { ref, kind: "command", command: startCommand(fields, "TIMER") };
    case "break":
      return { ref, kind: "command", command: startCommand(fields, "BREAKTIMER") };
    case "goal":
      if (typeof fields.goal !== "string") throw HTTP_ERRORS.notString.with({ field: "goal" });
      return { ref, kind: "command", command: { kind: "set-goal", goal: fields.goal, user: parseUser(fields) } };
    case "deleteGoal":
      return { ref, kind: "command", command: { kind: "delete-goal", user: parseUser(fields) } };
    case "ping":
      return { ref, kind: "ping" };
    default:
      throw HTTP_ERRORS.notOneOf.with({ field: "type", choices: "timer, break, goal, deleteGoal, ping" });
  }
}
