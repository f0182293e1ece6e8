// Each roster member's own target (their ntfy topic, any webhook URL): the list a room keeps
// beside its hooks, and the rules of changing it. A target belongs to a member on the roster;
// it goes when they leave it. Each rule is a decider for Rooms.commitDecided, so that every
// instance sees the same list.
import type { RoomChange, TargetAction } from "./changes.ts";
import { DOMAIN_ERRORS } from "./errors.ts";
import { deliveredOnce, failedOnce, maskedTarget } from "./hooks.ts";
import type { Decide } from "./rooms.ts";
import { withFeatures, type PersonalTarget, type Roster, type RoomSettings, type SettingsChanges } from "./settings.ts";
import { rosterOf } from "./team.ts";

export function targetsOf(settings: RoomSettings | null): PersonalTarget[] {
  return settings?.targets?.list ?? [];
}

/** The change of the targets feature that leaves `list`: none left is no feature. */
function asFeature(list: PersonalTarget[]): SettingsChanges["targets"] {
  return list.length > 0 ? { list } : null;
}

function targetsChange(settings: RoomSettings | null, list: PersonalTarget[], action: TargetAction, member: string): RoomChange {
  return { kind: "settings", settings: withFeatures(settings, { targets: asFeature(list) }), cause: { type: "targets", action, member } };
}

/** `member`'s target is now `target` (a fresh one: a paused target set again sends again). Only for a member on the roster. */
export function setTarget(target: PersonalTarget): Decide {
  return (room) => {
    if (!rosterOf(room.settings)?.members.some((m) => m.name === target.member)) throw DOMAIN_ERRORS.notOnRoster.with({ name: JSON.stringify(target.member) });
    const others = targetsOf(room.settings).filter((t) => t.member !== target.member);
    return targetsChange(room.settings, [...others, target], "set", target.member);
  };
}

/** `member` has no target any more; nothing when they had none. */
export function removeTarget(member: string): Decide {
  return (room) => {
    const list = targetsOf(room.settings);
    if (!list.some((t) => t.member === member)) return null;
    return targetsChange(room.settings, list.filter((t) => t.member !== member), "removed", member);
  };
}

/** Changes the target `id` with `update`; nothing when the room has none such (set anew meanwhile) or nothing changes. */
function updateTarget(id: string, action: TargetAction, update: (target: PersonalTarget) => PersonalTarget): Decide {
  return (room) => {
    const list = targetsOf(room.settings);
    const target = list.find((t) => t.id === id);
    const updated = target && update(target);
    if (!target || updated === target) return null;
    return targetsChange(room.settings, list.map((t) => (t === target ? updated! : t)), action, target.member);
  };
}

export function targetFailed(id: string, error: string, pauseAfter: number): Decide {
  return updateTarget(id, "failed", (target) => failedOnce(target, error, pauseAfter));
}

export function targetDelivered(id: string): Decide {
  return updateTarget(id, "delivered", deliveredOnce);
}

/**
 * The targets feature as it is after the roster became `roster` (null: dropped): the targets
 * of members who left go with them; undefined when none went.
 */
export function targetsAfterRoster(settings: RoomSettings | null, roster: Roster | null): SettingsChanges["targets"] | undefined {
  const list = targetsOf(settings);
  const kept = list.filter((t) => roster?.members.some((m) => m.name === t.member));
  return kept.length === list.length ? undefined : asFeature(kept);
}

/** Who has a target, and whether it is paused: what anyone who may read a claimed room sees. */
export type TargetSummary = Pick<PersonalTarget, "member" | "format" | "paused">;

function targetSummary({ member, format, paused }: PersonalTarget): TargetSummary {
  return { member, format, paused };
}

/** The members' targets as shown to a member of the room (masked) or to a viewer (summary), as hooks are. */
export function targetsShown(settings: RoomSettings | null, member: boolean): (PersonalTarget | TargetSummary)[] {
  return targetsOf(settings).map(member ? maskedTarget : targetSummary);
}
