// What the terminal client knows of a room: the latest timer or break with its end, who is
// next and the goal, from the JSON API's answer. The same shape is kept in the status cache,
// so that a prompt works out the time left from it without asking the server again.
import type { TimerType } from "../domain/changes.ts";
import type { RoomData } from "../live/wire.ts";

export interface RoomSnapshot {
  room: string;
  /** The room's change number: 0 for a room nobody has used yet. */
  seq: number;
  current: {
    type: TimerType;
    minutes: number;
    /** Milliseconds since the epoch, by the server's clock, as every client of the room counts. */
    requested: number;
    endsAt: number;
    user: string | null;
  } | null;
  /** By the roster in a team's room (as it is now), else as the latest timer said. */
  next: string | null;
  goal: string | null;
}

export function snapshotOf(data: RoomData): RoomSnapshot {
  const { current } = data;
  return {
    room: data.room,
    seq: data.seq,
    current: current && {
      type: current.type,
      minutes: current.timer,
      requested: Date.parse(current.requested),
      endsAt: Date.parse(current.endsAt),
      user: current.user || null,
    },
    next: (data.team ? data.team.next : current?.nextUser) || null,
    goal: data.goal.goal,
  };
}

/** How long "time is up" is said after the end before the room counts as idle, as on the room page. */
export const UP_FOR_MS = 30 * 60_000;

export type Phase =
  | { kind: "running"; leftMs: number }
  | { kind: "up"; overMs: number }
  /** A 0-minute timer: how `mob` and the page stop one. */
  | { kind: "stopped" }
  | { kind: "idle" };

export function phaseAt(snapshot: RoomSnapshot, now: number): Phase {
  const current = snapshot.current;
  if (!current) return { kind: "idle" };
  if (current.minutes === 0) return now - current.requested < UP_FOR_MS ? { kind: "stopped" } : { kind: "idle" };
  const left = current.endsAt - now;
  if (left > 0) return { kind: "running", leftMs: left };
  return -left < UP_FOR_MS ? { kind: "up", overMs: -left } : { kind: "idle" };
}

/** Milliseconds as "7:05" or "1:02:03", rounded up while counting down so that 0:00 means the end. */
export function clockText(ms: number, round: (x: number) => number = Math.ceil): string {
  const total = round(Math.max(0, ms) / 1000);
  const seconds = String(total % 60).padStart(2, "0");
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

export function kindOf(type: TimerType): "work" | "break" {
  return type === "BREAKTIMER" ? "break" : "work";
}
