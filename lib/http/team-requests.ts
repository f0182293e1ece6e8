// The bodies of a team's routes read into the roster's edits and the cadence. What the rules
// check themselves (lengths, positions, ranges) is left to them.
import type { RosterEdit } from "../domain/roster.ts";
import type { Cadence } from "../domain/settings.ts";
import { HTTP_ERRORS } from "./errors.ts";
import { parseObject, parseUser } from "./requests.ts";

/** Every action, as the type checker makes sure: named in the answer to an unknown one. */
const ACTIONS = Object.keys({ add: 0, remove: 0, move: 0, shuffle: 0, away: 0, back: 0, role: 0, anonymous: 0, named: 0, "skip-absent": 0 } satisfies Record<RosterEdit["action"], 0>);

function text(fields: Record<string, unknown>, field: string): string {
  const value = fields[field];
  if (typeof value !== "string") throw HTTP_ERRORS.notString.with({ field });
  return value;
}

function optionalText(fields: Record<string, unknown>, field: string): string | null {
  const value = fields[field] ?? null;
  if (value !== null && typeof value !== "string") throw HTTP_ERRORS.notStringOrNull.with({ field });
  return value;
}

function optionalWhole(fields: Record<string, unknown>, field: string): number | null {
  const value = fields[field] ?? null;
  if (value !== null && (typeof value !== "number" || !Number.isInteger(value))) throw HTTP_ERRORS.notWholeOrNull.with({ field });
  return value;
}

/** `{"action": "add", "name": "dave", "role": "typist", "user": "alice"}`, and the other actions with their fields. */
export function parseRosterEdit(body: string): { edit: RosterEdit; user: string | null } {
  const fields = parseObject(body);
  const user = parseUser(fields);
  const action = fields.action;
  switch (action) {
    case "add":
      return { edit: { action, name: text(fields, "name"), role: optionalText(fields, "role") }, user };
    case "move": {
      const to = optionalWhole(fields, "to");
      if (to === null) throw HTTP_ERRORS.positionNotWhole.with();
      return { edit: { action, name: text(fields, "name"), to }, user };
    }
    case "role":
      return { edit: { action, name: text(fields, "name"), role: optionalText(fields, "role") }, user };
    case "remove":
    case "away":
    case "back":
    case "anonymous":
    case "named":
      return { edit: { action, name: text(fields, "name") }, user };
    case "shuffle":
      return { edit: { action }, user };
    case "skip-absent":
      if (typeof fields.on !== "boolean") throw HTTP_ERRORS.notBoolean.with({ field: "on" });
      return { edit: { action, on: fields.on }, user };
    default:
      throw HTTP_ERRORS.notOneOf.with({ field: "action", choices: ACTIONS.join(", ") });
  }
}

/** `{"turns": 4, "minutes": 90, "retroRounds": 3, "user": "alice"}`; a part missing or null is off. */
export function parseCadence(body: string): { cadence: Cadence; user: string | null } {
  const fields = parseObject(body);
  const retroRounds = optionalWhole(fields, "retroRounds");
  const cadence: Cadence = { turns: optionalWhole(fields, "turns"), minutes: optionalWhole(fields, "minutes") };
  if (retroRounds !== null) cadence.retroRounds = retroRounds;
  return { cadence, user: parseUser(fields) };
}
