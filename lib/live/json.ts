// The wire of the JSON API and of WebSocket rooms, beside protocol.ts (the original's SSE
// wire): the room as data, and the messages a socket carries. One encoder per transport;
// the core never builds either.
import { isoTime } from "../base/clock.ts";
import { NO_TIMER, type RoomEvent, type TimerRequest } from "../domain/changes.ts";
import type { Room } from "../domain/room.ts";
import { teamView } from "../domain/team-view.ts";
import { changeMessage } from "./protocol.ts";
import { teamOpening } from "./team.ts";

/** The latest timer or break, with when it ends and whether it still runs. */
export interface CurrentTimer extends TimerRequest {
  endsAt: string;
  running: boolean;
}

/** The room as `GET /api/rooms/<room>` answers it. */
export function roomData(room: Room, now: number) {
  const latest = room.latest;
  const current: CurrentTimer | null = latest
    ? { ...latest, endsAt: isoTime(Date.parse(latest.requested) + latest.timer * 60_000), running: room.isRunning(now) }
    : null;
  const team = teamView(room, now);
  // Only a team's room has the field: every other room answers as before.
  return { room: room.name, seq: room.seq, current, history: room.history, goal: room.goal, ...(team && { team }) };
}

/** The entity tag of a room's state: its number, which goes up with every change. */
export function roomTag(seq: number): string {
  return `"${seq}"`;
}

const NO_TIMER_JSON = JSON.stringify(NO_TIMER);

/** One socket message: an event of the stream, by the same name and with the same data. */
function socketMessage(name: string, data: string, id?: number): string {
  return id === undefined ? `{"event":"${name}","data":${data}}` : `{"event":"${name}","id":${id},"data":${data}}`;
}

export const SOCKET_KEEP_ALIVE = socketMessage("KEEP_ALIVE", "null");

/** The socket message of a change, or null when listeners are not told of it. */
export function socketEvent(event: RoomEvent): string | null {
  const message = changeMessage(event.change);
  return message && socketMessage(message.name, message.data, event.seq);
}

/** What a new socket gets first, as an event stream does: history but the latest, the latest timer, the goal; the team in a team's room. */
export function socketOpening(room: Room): string[] {
  const latest = room.latest;
  const team = teamOpening(room);
  return [
    socketMessage("INITIAL_HISTORY", JSON.stringify(room.history.slice(0, -1))),
    socketMessage("TIMER_REQUEST", latest ? JSON.stringify(latest) : NO_TIMER_JSON),
    socketMessage("GOAL_REQUEST", JSON.stringify(room.goal), room.seq),
    ...(team ? [socketMessage(team.name, team.data)] : []),
  ];
}

/** A client's reference for a command, echoed in the one reply it gets. */
export type Ref = string | number | null;

export function socketDone(ref: Ref, id: number | null): string {
  return JSON.stringify({ ref, ok: true, id });
}

export function socketRefused(ref: Ref, error: string): string {
  return JSON.stringify({ ref, error });
}
