// What a client may send, checked before anything changes: each function returns clean
// values or throws a 400 that names the problem.
import { HttpError } from "./http.ts";
import type { TimerType } from "./room.ts";

const ROOM_NAME = /^[A-Za-z0-9_-]+$/;

export function roomNameProblem(name: string, maxLength: number): string | null {
  if (name.length === 0) return "room name is empty";
  if (name.length > maxLength) return `room name is longer than ${maxLength} characters`;
  if (!ROOM_NAME.test(name)) return 'room name may only contain letters A-Z and a-z, digits, "_" and "-"';
  return null;
}

function badRequest(message: string): HttpError {
  return new HttpError(400, "bad_request", message);
}

function parseObject(body: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw badRequest("body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

function parseUser(fields: Record<string, unknown>, maxLength: number): string | null {
  const user = fields.user;
  if (user === undefined || user === null) return null;
  if (typeof user !== "string") throw badRequest('"user" must be a string or null');
  if (user.length > maxLength) throw badRequest(`"user" is longer than ${maxLength} characters`);
  return user;
}

export interface TimerInput {
  type: TimerType;
  minutes: number;
  user: string | null;
}

/** `{"timer": 10, "user": "alice"}` or `{"breaktimer": 5, "user": ""}`; minutes not yet clamped. */
export function parseTimerBody(body: string, maxUserLength: number): TimerInput {
  const fields = parseObject(body);
  const timer = fields.timer ?? null;
  const breaktimer = fields.breaktimer ?? null;
  if (timer !== null && breaktimer !== null) throw badRequest('send either "timer" or "breaktimer", not both');
  if (timer === null && breaktimer === null) throw badRequest('body needs "timer" or "breaktimer" (minutes)');
  const [field, value, type]: [string, unknown, TimerType] =
    timer !== null ? ["timer", timer, "TIMER"] : ["breaktimer", breaktimer, "BREAKTIMER"];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw badRequest(`"${field}" must be a whole number of minutes`);
  }
  return { type, minutes: value, user: parseUser(fields, maxUserLength) };
}

export interface GoalInput {
  goal: string;
  user: string | null;
}

export function parseGoalBody(body: string, maxUserLength: number): GoalInput {
  const fields = parseObject(body);
  if (typeof fields.goal !== "string") throw badRequest('"goal" must be a string');
  if (fields.goal.trim() === "") throw badRequest('"goal" is empty; DELETE the goal to remove it');
  return { goal: fields.goal, user: parseUser(fields, maxUserLength) };
}

/** The body of a goal deletion may be missing; if present it names the user. */
export function parseGoalDeletion(body: string, maxUserLength: number): string | null {
  if (body.trim() === "") return null;
  return parseUser(parseObject(body), maxUserLength);
}
