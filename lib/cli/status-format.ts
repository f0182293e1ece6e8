// The words of `mob-timer status`: named fields of the room at a moment, a default line for a
// prompt, and `--format` with those fields. An idle room has no fields: a prompt shows nothing.
import { clockText, kindOf, phaseAt, type RoomSnapshot } from "./room-snapshot.ts";

export const STATUS_FIELDS = ["left", "kind", "user", "next", "goal", "room", "state"] as const;
export type StatusField = (typeof STATUS_FIELDS)[number];
export type StatusFields = Record<StatusField, string>;

const FIELD = /\{([A-Za-z]+)\}/g;

/** The first field a format names that does not exist, or null. */
export function unknownField(format: string): string | null {
  for (const [, name] of format.matchAll(FIELD)) if (!(STATUS_FIELDS as readonly string[]).includes(name!)) return name!;
  return null;
}

/** The room's fields at `now`; null while nothing runs and no time's up is fresh (a stop included). */
export function statusFields(snapshot: RoomSnapshot, now: number): StatusFields | null {
  const phase = phaseAt(snapshot, now);
  const current = snapshot.current;
  if (!current || (phase.kind !== "running" && phase.kind !== "up")) return null;
  return {
    left: phase.kind === "running" ? clockText(phase.leftMs) : `+${clockText(phase.overMs, Math.floor)}`,
    kind: kindOf(current.type),
    user: current.user ?? "",
    next: snapshot.next ?? "",
    goal: snapshot.goal ?? "",
    room: snapshot.room,
    state: phase.kind,
  };
}

/** The fields put into `format` as they are: an empty field leaves its place empty. */
export function formatStatus(format: string, fields: StatusFields): string {
  return format.replace(FIELD, (_, name: StatusField) => fields[name]);
}

/** The default: the time left and who is next ("7:32 alice → bob", "time's up → you"). */
export function defaultStatus(fields: StatusFields, me: string | null): string {
  const next = fields.next === "" ? "" : ` → ${fields.next === me ? "you" : fields.next}`;
  if (fields.state === "up") return `${fields.kind === "break" ? "break is over" : "time's up"}${next}`;
  const who = fields.kind === "break" ? "break" : fields.user || "work";
  return `${fields.left} ${who}${next}`;
}
