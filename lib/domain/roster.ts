// A team's roster as rules: who is next, the roster a room starts from, and the edits a team
// makes to it. Pure; edits that cannot be made throw DomainError naming why.
import type { TimerRequest } from "./changes.ts";
import { DOMAIN_ERRORS } from "./errors.ts";
import type { RandomInt } from "./names.ts";
import { isBlank } from "./rules.ts";
import type { Member, Roster } from "./settings.ts";

/** Members a roster holds at most: more than any mob, few enough to show on one screen. */
export const MAX_MEMBERS = 50;
/** Characters of a role name at most: a word or two. */
export const MAX_ROLE_LENGTH = 40;

export type RosterEdit =
  | { action: "add"; name: string; role: string | null }
  | { action: "remove"; name: string }
  | { action: "move"; name: string; to: number }
  | { action: "shuffle" }
  | { action: "away"; name: string }
  | { action: "back"; name: string }
  | { action: "role"; name: string; role: string | null }
  /** The member's name is taken out of the room's statistics ("anonymous"), or put back ("named"). */
  | { action: "anonymous" | "named"; name: string }
  /** The rule "pass over who is not here" (see presence.ts), on or off. */
  | { action: "skip-absent"; on: boolean };

/**
 * Who takes the turn after `user`: the next member in roster order who is not away, nor
 * passed over by `skip` (the rule "pass over who is not here"); when that rule would pass
 * over everyone, it is as if it were off. A user not on the roster joins at its end, so the
 * turn then passes to the first member present.
 */
export function nextOnRoster(roster: Roster, user: string | null, skip: ((name: string) => boolean) | null = null): string | null {
  const { members } = roster;
  const at = user === null ? -1 : members.findIndex((member) => member.name === user);
  let fallback: string | null = null;
  for (let step = 1; step <= members.length; step++) {
    const member = members[(at + step) % members.length]!;
    if (member.away || member.name === user) continue;
    if (skip === null || !skip(member.name)) return member.name;
    fallback ??= member.name;
  }
  return fallback;
}

/**
 * The roster a room starts from: the users of its timers, each placed by their latest turn,
 * so that the order is the rotation the team has lately kept.
 */
export function rosterFromHistory(history: readonly TimerRequest[]): Roster {
  const latestTurn = new Map<string, number>();
  history.forEach((entry, index) => {
    if (entry.type === "TIMER" && !isBlank(entry.user)) latestTurn.set(entry.user, index);
  });
  const names = [...latestTurn].sort((a, b) => a[1] - b[1]).map(([name]) => name);
  return { members: names.slice(-MAX_MEMBERS).map(member) };
}

function member(name: string): Member {
  return { name, away: false, role: null };
}

function checkName(name: string, maxLength: number): void {
  if (isBlank(name)) throw DOMAIN_ERRORS.memberNameEmpty.with();
  if (name.length > maxLength) throw DOMAIN_ERRORS.memberNameTooLong.with({ max: maxLength });
}

function checkRole(role: string | null): void {
  if (role !== null && role.length > MAX_ROLE_LENGTH) throw DOMAIN_ERRORS.roleTooLong.with({ max: MAX_ROLE_LENGTH });
}

function find(members: readonly Member[], name: string): number {
  const at = members.findIndex((m) => m.name === name);
  if (at === -1) throw DOMAIN_ERRORS.notOnRoster.with({ name: JSON.stringify(name) });
  return at;
}

function changed(members: readonly Member[], name: string, change: Partial<Member>): Roster {
  const at = find(members, name);
  return { members: members.map((m, i) => (i === at ? { ...m, ...change } : m)) };
}

/** `roster` after `edit`; `maxNameLength` is the limit on user names, as members are users. */
export function editRoster(roster: Roster, edit: RosterEdit, random: RandomInt, maxNameLength: number): Roster {
  if (edit.action === "skip-absent") return edit.on ? { members: roster.members, skipAbsent: true } : { members: roster.members };
  return withRules(roster, editMembers(roster.members, edit, random, maxNameLength));
}

/** The members as they are after `edit`, the roster's rules kept. */
function withRules(roster: Roster, edited: Roster): Roster {
  return roster.skipAbsent ? { ...edited, skipAbsent: true } : edited;
}

function editMembers(members: readonly Member[], edit: Exclude<RosterEdit, { action: "skip-absent" }>, random: RandomInt, maxNameLength: number): Roster {
  switch (edit.action) {
    case "add": {
      checkName(edit.name, maxNameLength);
      checkRole(edit.role);
      if (members.some((m) => m.name === edit.name)) throw DOMAIN_ERRORS.onRosterAlready.with({ name: JSON.stringify(edit.name) });
      if (members.length >= MAX_MEMBERS) throw DOMAIN_ERRORS.rosterFull.with({ max: MAX_MEMBERS });
      return { members: [...members, { ...member(edit.name), role: blankAsNull(edit.role) }] };
    }
    case "remove": {
      const at = find(members, edit.name);
      return { members: members.filter((_, i) => i !== at) };
    }
    case "move": {
      const at = find(members, edit.name);
      if (!Number.isInteger(edit.to) || edit.to < 0 || edit.to >= members.length) {
        throw DOMAIN_ERRORS.positionOutOfRange.with({ last: members.length - 1 });
      }
      const rest = members.filter((_, i) => i !== at);
      rest.splice(edit.to, 0, members[at]!);
      return { members: rest };
    }
    case "shuffle": {
      const shuffled = [...members];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = random(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      return { members: shuffled };
    }
    case "away":
    case "back":
      return changed(members, edit.name, { away: edit.action === "away" });
    case "role":
      checkRole(edit.role);
      return changed(members, edit.name, { role: blankAsNull(edit.role) });
    case "anonymous":
      return changed(members, edit.name, { anonymous: true });
    case "named": {
      const at = find(members, edit.name);
      // Left out rather than false: a roster that never used it keeps its JSON.
      return { members: members.map(({ anonymous: _, ...member }, i) => (i === at ? member : members[i]!)) };
    }
  }
}

function blankAsNull(role: string | null): string | null {
  return isBlank(role) ? null : role;
}

/** The roster with `user` at its end, or null when they are on it already, or it is full. */
export function joined(roster: Roster, user: string): Roster | null {
  if (roster.members.some((m) => m.name === user) || roster.members.length >= MAX_MEMBERS) return null;
  return withRules(roster, { members: [...roster.members, member(user)] });
}
