// The bodies of the original's routes, read into the core's commands: each function
// returns a command or throws a 400 that names what is wrong with the JSON. What the core
// checks itself (lengths, blank goals, clamping) is left to it, so every way in shares it.
import type { RoomCommand } from "../domain/changes.ts";
import { HTTP_ERRORS } from "./errors.ts";

export function parseObject(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw HTTP_ERRORS.notJson.with();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw HTTP_ERRORS.notObject.with();
  }
  return value as Record<string, unknown>;
}

export function parseUser(fields: Record<string, unknown>): string | null {
  const user = fields.user;
  if (user === undefined || user === null) return null;
  if (typeof user !== "string") throw HTTP_ERRORS.notStringOrNull.with({ field: "user" });
  return user;
}

/** `{"timer": 10, "user": "alice"}` or `{"breaktimer": 5, "user": ""}`; minutes not yet clamped. */
export function parseTimerBody(body: string): RoomCommand {
  const fields = parseObject(body);
  const timer = fields.timer ?? null;
  const breaktimer = fields.breaktimer ?? null;
  if (timer !== null && breaktimer !== null) throw HTTP_ERRORS.timerAndBreak.with();
  if (timer === null && breaktimer === null) throw HTTP_ERRORS.noTimer.with();
  const [field, value, type]: [string, unknown, "TIMER" | "BREAKTIMER"] =
    timer !== null ? ["timer", timer, "TIMER"] : ["breaktimer", breaktimer, "BREAKTIMER"];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw HTTP_ERRORS.notMinutes.with({ field });
  }
  return { kind: "start", type, minutes: value, user: parseUser(fields) };
}

/** `{"goal": "text", "user": "alice"}`. */
export function parseGoalBody(body: string): RoomCommand {
  const fields = parseObject(body);
  if (typeof fields.goal !== "string") throw HTTP_ERRORS.notString.with({ field: "goal" });
  return { kind: "set-goal", goal: fields.goal, user: parseUser(fields) };
}

/** A body that may be missing; if present it names the user. */
export function parseOptionalUser(body: string): string | null {
  return body.trim() === "" ? null : parseUser(parseObject(body));
}

export function parseGoalDeletion(body: string): RoomCommand {
  return { kind: "delete-goal", user: parseOptionalUser(body) };
}
