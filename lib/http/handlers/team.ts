// A team's routes of the JSON API: edit the roster, drop it, set the break cadence (each
// answers with the room as it is after the change, as the API's other changes do), and read
// the statistics of its rotation.
import type { Clock } from "../../base/clock.ts";
import type { Config } from "../../config.ts";
import type { RandomInt } from "../../domain/names.ts";
import type { Rooms } from "../../domain/rooms.ts";
import { cadenceChange, dropRosterChange, rosterChange } from "../../domain/team-changes.ts";
import { wholeNumber } from "../api-requests.ts";
import { HTTP_ERRORS } from "../errors.ts";
import type { Here } from "../here.ts";
import { parseOptionalUser } from "../requests.ts";
import { json } from "../responses.ts";
import type { RequestContext } from "../router.ts";
import { parseCadence, parseRosterEdit } from "../team-requests.ts";
import { roomChanges } from "./room-change.ts";
import { roomName } from "./rooms.ts";

/** Days a report covers unless `?days=` says: a week, as the room page's panel shows. */
const DEFAULT_STATS_DAYS = 7;

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

  /** `GET /api/rooms/<room>/stats?days=N`: the rotation of the last N UTC days, today's included. */
  async function rotationStats(ctx: RequestContext): Promise<Response> {
    const room = roomName(ctx, config.maxRoomNameLength);
    const days = wholeNumber(new URL(ctx.req.url).searchParams, "days") ?? Math.min(DEFAULT_STATS_DAYS, config.roomStatsDays);
    if (days < 1 || days > config.roomStatsDays) throw HTTP_ERRORS.statsDays.with({ max: config.roomStatsDays });
    const report = await rooms.rotation(room, days);
    if (report === null) throw HTTP_ERRORS.noRotationStats.with();
    return json(report, 200, { "Cache-Control": "no-cache" });
  }

  return { editRoster, dropRoster, setCadence, rotationStats };
}
