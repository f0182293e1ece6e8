// How the JSON API answers a change, whichever feature makes it: the room's name checked
// (its origin was, by the room's gate), the body read, the change committed, then the room as it is after.
import type { Clock } from "../../base/clock.ts";
import type { Config } from "../../config.ts";
import type { Room } from "../../domain/room.ts";
import type { Rooms } from "../../domain/rooms.ts";
import { roomData, roomTag } from "../../live/wire.ts";
import { readBody } from "../body.ts";
import { hereFor, type Here } from "../here.ts";
import { json } from "../responses.ts";
import type { RequestContext } from "../router.ts";
import { roomName } from "./rooms.ts";

/** The room as data, tagged with its number; `here` is shown in a team's room. */
export function roomState(room: Room, now: number, status: number, headers: Record<string, string>, here: readonly string[]): Response {
  return json(roomData(room, now, here), status, { ...headers, ETag: roomTag(room.seq) });
}

/** Makes the change `commit` makes of the body in the named room (waiting for it when it answers later), and answers with the room after it. */
export type ChangeRoom = (ctx: RequestContext, commit: (room: string, body: string) => unknown, status: number) => Promise<Response>;

export function roomChanges(config: Config, clock: Clock, rooms: Rooms, here: Here): ChangeRoom {
  return (ctx, commit, status) => {
    const room = roomName(ctx, config.maxRoomNameLength);
    return readBody(ctx.req, config.maxBodyBytes)
      .then((body) => commit(room, body))
      .then(() => rooms.load(room))
      .then(async (loaded) => roomState(loaded, clock.now(), status, {}, await hereFor(here, loaded)));
  };
}
