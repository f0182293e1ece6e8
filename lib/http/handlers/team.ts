// A team's routes of the JSON API: edit the roster, drop it, set the break cadence. Each
// answers with the room as it is after the change, as the API's other changes do.
import type { Clock } from "../../base/clock.ts";
import type { Config } from "../../config.ts";
import type { RandomInt } from "../../domain/names.ts";
import type { Rooms } from "../../domain/rooms.ts";
import { cadenceChange, dropRosterChange, rosterChange } from "../../domain/team-changes.ts";
import type { Here } from "../here.ts";
import { parseOptionalUser } from "../requests.ts";
import type { RequestContext } from "../router.ts";
import { parseCadence, parseRosterEdit } from "../team-requests.ts";
import { roomChanges } from "./room-change.ts";

export interface TeamParts {
  config: Config;
  clock: Clock;
  rooms: Rooms;
  random: RandomInt;
  here: Here;
}

export function teamHandlers({ config, clock, rooms, random, here }: TeamParts) {
  const changeRoom = roomChanges(config, clock, rooms, here);

  function editRoster(ctx: RequestContext): Promise<Response> {
    return changeRoom(ctx, (room, body) => {
      const { edit, user } = parseRosterEdit(body);
      return rooms.commitDecided(room, rosterChange(edit, user, config, random), ctx.visitor);
    }, 200);
  }

  function dropRoster(ctx: RequestContext): Promise<Response> {
    return changeRoom(ctx, (room, body) => rooms.commitDecided(room, dropRosterChange(parseOptionalUser(body), config), ctx.visitor), 200);
  }

  function setCadence(ctx: RequestContext): Promise<Response> {
    return changeRoom(ctx, (room, body) => {
      const { cadence, user } = parseCadence(body);
      return rooms.commitDecided(room, cadenceChange(cadence, user, config), ctx.visitor);
    }, 200);
  }

  return { editRoster, dropRoster, setCadence };
}
