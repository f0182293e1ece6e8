// The body of `POST /api/rooms/<room>/hooks`, read into a hook's fields: which format, where
// to, which events, and (for the signed JSON format) the secret; and the bodies that set or
// remove a member's own target, which say whose instead of which events. Whether the target
// may be reached is checked by the handler, against the server's rules and DNS.
import { HOOK_EVENTS, HOOK_FORMATS, isOneOf, type HookEvent, type HookFormat } from "../domain/settings.ts";
import { parseTarget } from "../hooks/targets.ts";
import { HTTP_ERRORS } from "./errors.ts";
import { parseObject } from "./requests.ts";

export interface NewHook {
  format: HookFormat;
  url: URL;
  events: HookEvent[];
  /** Given by the caller; null to have one made (json) or for formats that sign nothing. */
  secret: string | null;
}

/** A secret this short is guessable; this long is plenty for HMAC-SHA256. */
const SECRET_LENGTH = { min: 16, max: 256 };

function parseEvents(value: unknown): HookEvent[] {
  if (value === undefined) return [...HOOK_EVENTS];
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => isOneOf(e, HOOK_EVENTS))) {
    throw HTTP_ERRORS.hookEvents.with({ choices: HOOK_EVENTS.join(", ") });
  }
  return HOOK_EVENTS.filter((e) => value.includes(e));
}

function parseSecret(value: unknown, format: HookFormat): string | null {
  if (value === undefined || value === null) return null;
  if (format !== "json") throw HTTP_ERRORS.secretUnsigned.with();
  if (typeof value !== "string" || value.length < SECRET_LENGTH.min || value.length > SECRET_LENGTH.max) {
    throw HTTP_ERRORS.secretLength.with(SECRET_LENGTH);
  }
  return value;
}

/** Where word goes, as a hook and a member's own target say it: format, URL and (json only) secret. */
function parseWhere(fields: Record<string, unknown>): Omit<NewHook, "events"> {
  if (!isOneOf(fields.format, HOOK_FORMATS)) throw HTTP_ERRORS.notOneOf.with({ field: "format", choices: HOOK_FORMATS.join(", ") });
  if (typeof fields.url !== "string") throw HTTP_ERRORS.hookUrl.with();
  const url = parseTarget(fields.url.trim());
  if (typeof url === "string") throw HTTP_ERRORS.hookTarget.with({ problem: url });
  return { format: fields.format, url, secret: parseSecret(fields.secret, fields.format) };
}

/** `{"format": "slack", "url": "https://…", "events": ["time-up"], "secret": "…"}`. */
export function parseNewHook(body: string): NewHook {
  const fields = parseObject(body);
  return { ...parseWhere(fields), events: parseEvents(fields.events) };
}

/** A member's own target: whose, and where word goes. */
export interface NewTarget extends Omit<NewHook, "events"> {
  member: string;
}

/** `{"name": "bob", "format": "ntfy", "url": "https://ntfy.sh/…"}`. */
export function parseNewTarget(body: string): NewTarget {
  const fields = parseObject(body);
  return { member: memberName(fields), ...parseWhere(fields) };
}

/** `{"name": "bob"}`: whose target goes. */
export function parseTargetMember(body: string): string {
  return memberName(parseObject(body));
}

function memberName(fields: Record<string, unknown>): string {
  if (typeof fields.name !== "string") throw HTTP_ERRORS.notString.with({ field: "name" });
  return fields.name;
}
