// A room's outgoing webhooks: the list a team keeps in the room's settings, and the rules of
// changing it (add, remove, resume, and what a delivery's outcome does to a hook). Each
// rule is a decider for Rooms.commitDecided, so that every instance and page learn of it.
import type { HookAction, RoomChange } from "./changes.ts";
import { DOMAIN_ERRORS } from "./errors.ts";
import type { Decide } from "./rooms.ts";
import { withFeatures, type Hook, type RoomSettings, type Target } from "./settings.ts";

/** The room's hooks, in the order they were added. */
export function hooksOf(settings: RoomSettings | null): Hook[] {
  return settings?.hooks?.list ?? [];
}

function hooksChange(settings: RoomSettings | null, list: Hook[], action: HookAction, id: string): RoomChange {
  return { kind: "settings", settings: withFeatures(settings, { hooks: list.length > 0 ? { list } : null }), cause: { type: "hooks", action, id } };
}

/** Adds `hook`, unless the room has `max` hooks already. */
export function addHook(hook: Hook, max: number): Decide {
  return (room) => {
    const list = hooksOf(room.settings);
    if (list.length >= max) throw DOMAIN_ERRORS.tooManyHooks.with({ max });
    return hooksChange(room.settings, [...list, hook], "added", hook.id);
  };
}

/** Changes the hook `id` with `update`; nothing when the room has no such hook or nothing changes. */
function updateHook(id: string, action: HookAction, update: (hook: Hook) => Hook | null): Decide {
  return (room) => {
    const list = hooksOf(room.settings);
    const hook = list.find((h) => h.id === id);
    const updated = hook && update(hook);
    if (!hook || updated === hook) return null;
    const next = updated === null ? list.filter((h) => h !== hook) : list.map((h) => (h === hook ? updated! : h));
    return hooksChange(room.settings, next, action, id);
  };
}

export function removeHook(id: string): Decide {
  return updateHook(id, "removed", () => null);
}

/** Sends to a paused hook again, with its count of failures started over. */
export function resumeHook(id: string): Decide {
  return updateHook(id, "resumed", (hook) => (hook.paused ? { ...hook, paused: false, failures: 0, lastError: null } : hook));
}

/** A target after a delivery gave up: counted, and paused at `pauseAfter` in a row. */
export function failedOnce<T extends Target>(target: T, error: string, pauseAfter: number): T {
  const failures = target.failures + 1;
  return { ...target, failures, lastError: error, paused: target.paused || failures >= pauseAfter };
}

/** A target after a delivery arrived: a count of failures starts over (the same target when there was none). */
export function deliveredOnce<T extends Target>(target: T): T {
  return target.failures > 0 ? { ...target, failures: 0, lastError: null } : target;
}

export function hookFailed(id: string, error: string, pauseAfter: number): Decide {
  return updateHook(id, "failed", (hook) => failedOnce(hook, error, pauseAfter));
}

export function hookDelivered(id: string): Decide {
  return updateHook(id, "delivered", deliveredOnce);
}

/** A hook as the team sees it back: the URL and the secret are credentials, so only their ends show. */
export interface HookView extends Omit<Hook, "url" | "secret"> {
  url: string;
  secret: string | null;
}

/** The last four characters, behind an ellipsis: enough to tell two secrets apart. */
function lastFour(text: string): string {
  return `…${text.slice(-4)}`;
}

/** "https://hooks.slack.com/…Xq3z": the host shows where word goes; the path (the token) does not. */
function maskedUrl(raw: string): string {
  if (!URL.canParse(raw)) return lastFour(raw);
  const url = new URL(raw);
  const rest = `${url.pathname}${url.search}`.replace(/^\//, "");
  return `${url.protocol}//${url.host}/${rest === "" ? "" : lastFour(rest)}`;
}

/** A target (a hook, a member's own) with its URL and secret masked. */
export function maskedTarget<T extends Target>(target: T): T {
  return { ...target, url: maskedUrl(target.url), secret: target.secret === null ? null : lastFour(target.secret) };
}

export function hookView(hook: Hook): HookView {
  return maskedTarget(hook);
}

/**
 * A hook as anyone who may read a claimed room sees it, without its key: which kind of hook
 * it is and what it is told of. Where word goes and why it failed are for the room's team.
 */
export type HookSummary = Pick<Hook, "id" | "format" | "events" | "paused">;

export function hookSummary({ id, format, events, paused }: Hook): HookSummary {
  return { id, format, events, paused };
}

/** The room's hooks as shown to a member (of a claimed room, or anyone in a room nobody claimed) or to a viewer. */
export function hooksShown(settings: RoomSettings | null, member: boolean): (HookView | HookSummary)[] {
  return hooksOf(settings).map(member ? hookView : hookSummary);
}
