// What a room's change tells the team: which hook event it is, a short line for people, and
// the details for programs. Every format is built from one notice, so that Slack, Teams,
// ntfy and JSON say the same thing.
import type { RoomChange, RoomEvent, RosterCause, TimeUpCause, TimerRequest } from "../domain/changes.ts";
import type { HookEvent, Member, PersonalEvent } from "../domain/settings.ts";
import { rosterOf } from "../domain/team.ts";

export interface Notice {
  /** What happened; a member's own word; "test" for a notice a team sends to try a hook out. */
  event: HookEvent | PersonalEvent | "test";
  room: string;
  /** When the change was sent out, RFC 3339 UTC. */
  time: string;
  /** A title for formats that show one (ntfy, Teams): "Time's up in #our-team". */
  title: string;
  /** One short line for people: "⏰ Time's up for alice — bob is next · break due". */
  text: string;
  /** ntfy's tags (emoji short codes), and whether the notice should ring a phone. */
  tags: string[];
  urgent: boolean;
  /** The change's facts, as the generic JSON format sends them. */
  details: Record<string, unknown>;
}

const by = (user: string | null) => (user ? ` by ${user}` : "");
const nextIs = (next: string | null) => (next ? ` — ${next} is next` : "");

function started(entry: TimerRequest): { text: string; tags: string[] } {
  if (entry.type === "BREAKTIMER") return { text: `☕ ${entry.timer} min break started${by(entry.user)}`, tags: ["coffee"] };
  const who = entry.user ? `${entry.user} started a ${entry.timer} min turn` : `A ${entry.timer} min timer started`;
  return { text: `▶️ ${who}${nextIs(entry.nextUser)}`, tags: ["arrow_forward"] };
}

/** What ran out: the break, or someone's turn. */
function ended(entry: TimerRequest): string {
  return entry.type === "BREAKTIMER" ? "The break is over" : `Time's up${entry.user ? ` for ${entry.user}` : ""}`;
}

function timeUpText(cause: TimeUpCause): string {
  if (cause.entry.type === "BREAKTIMER") return `⏰ ${ended(cause.entry)}${nextIs(cause.next)}`;
  return `⏰ ${ended(cause.entry)}${nextIs(cause.next)}${cause.breakDue ? " · break due" : ""}${cause.retroDue ? " · a full round: retro due" : ""}`;
}

function rosterText(cause: RosterCause, members: Member[]): string {
  const names = members.map((m) => (m.away ? `${m.name} (away)` : m.name)).join(", ");
  return `👥 Roster ${cause.action}${cause.user ? `: ${cause.user}` : ""}${names ? ` — now ${names}` : ""}`;
}

type Described = Omit<Notice, "room" | "time" | "title"> & { heading: string };

function describe(change: RoomChange): Described | null {
  switch (change.kind) {
    case "timer":
    case "break":
      return {
        event: change.kind === "timer" ? "timer-started" : "break-started",
        heading: change.kind === "timer" ? "Timer started" : "Break started",
        ...started(change.entry),
        urgent: false,
        details: { entry: change.entry },
      };
    case "goal-set":
      return { event: "goal-set", heading: "New goal", text: `🎯 New goal: ${change.goal.goal}${by(change.goal.user)}`, tags: ["dart"], urgent: false, details: { goal: change.goal } };
    case "goal-deleted":
      return { event: "goal-deleted", heading: "Goal deleted", text: `🎯 Goal deleted${by(change.goal.user)}`, tags: ["dart"], urgent: false, details: { goal: change.goal } };
    case "settings":
      return describeSettings(change);
    case "history-expired":
      return null;
  }
}

function describeSettings(change: Extract<RoomChange, { kind: "settings" }>): Described | null {
  const cause = change.cause;
  switch (cause.type) {
    case "time-up": {
      const { type: _type, ...facts } = cause;
      return { event: "time-up", heading: cause.entry.type === "BREAKTIMER" ? "Break over" : "Time's up", text: timeUpText(cause), tags: ["alarm_clock"], urgent: true, details: facts };
    }
    case "roster": {
      const members = (rosterOf(change.settings)?.members ?? []).map(({ name, away, role }) => ({ name, away, role }));
      return { event: "roster-changed", heading: "Roster changed", text: rosterText(cause, members), tags: ["busts_in_silhouette"], urgent: false, details: { action: cause.action, user: cause.user, members } };
    }
    case "cadence":
    case "hooks":
    case "targets":
    case "owner":
      return null;
  }
}

/** The notice of a committed change, or null when no hook is told of it. */
export function noticeOf(event: RoomEvent, time: string): Notice | null {
  const described = describe(event.change);
  if (!described) return null;
  const { heading, ...rest } = described;
  return { ...rest, room: event.room, time, title: `${heading} in #${event.room}` };
}

/** Word for one member's own target. */
export interface PersonalNotice {
  member: string;
  notice: Notice;
}

function personal(event: RoomEvent, time: string, member: string, said: Omit<Notice, "room" | "time" | "tags" | "urgent">, tag: string): PersonalNotice {
  return { member, notice: { ...said, room: event.room, time, tags: [tag], urgent: true } };
}

/**
 * The word a change brings one member, if any: a timer started for them ("your turn"), or
 * time is up with them next ("you're next"). Sent to their own target only.
 */
export function personalNoticeOf(event: RoomEvent, time: string): PersonalNotice | null {
  const { change, room } = event;
  if (change.kind === "timer") {
    const { entry } = change;
    const member = entry.user;
    if (!member || entry.timer === 0) return null;
    const text = `▶️ Your turn, ${member}: ${entry.timer} min`;
    return personal(event, time, member, { event: "your-turn", title: `Your turn in #${room}`, text, details: { member, entry } }, "arrow_forward");
  }
  if (change.kind !== "settings" || change.cause.type !== "time-up") return null;
  const { type: _type, ...facts } = change.cause;
  const { entry, next: member, breakDue } = facts;
  if (!member) return null;
  const text = `⏰ ${ended(entry)} — you're next, ${member}${breakDue ? " · break due" : ""}`;
  return personal(event, time, member, { event: "you-are-next", title: `You're next in #${room}`, text, details: { member, ...facts } }, "alarm_clock");
}

/** A notice sent on request, to try a hook out. */
export function testNotice(room: string, time: string): Notice {
  return {
    event: "test",
    room,
    time,
    title: `Test from #${room}`,
    text: `👋 This hook works: #${room} will tell you here when time is up`,
    tags: ["wave"],
    urgent: false,
    details: { test: true },
  };
}
