// `mob-timer rooms release NAME`: an operator takes a room from the team that claimed it
// (a lost key, a squatted name). The release is the same numbered change a member makes,
// committed through the store: with Redis every running instance hears of it at once;
// SQLite's lock lets one process write, so its server is stopped first.
import type { Clock } from "../base/clock.ts";
import type { Config } from "../config.ts";
import { DOMAIN_ERRORS } from "../domain/errors.ts";
import { ownerOf, release } from "../domain/owner.ts";
import { Rooms } from "../domain/rooms.ts";
import { roomNameProblem } from "../domain/rules.ts";
import { openStore } from "../store/open.ts";

/** What happened, as one line for the operator. */
export async function releaseRoom(config: Config, room: string, clock: Clock): Promise<string> {
  const problem = roomNameProblem(room, config.maxRoomNameLength);
  if (problem !== null) throw DOMAIN_ERRORS.badRoomName.with({ problem });
  const store = await openStore(config, clock);
  const rooms = new Rooms(config, clock, store);
  try {
    const claimed = ownerOf((await rooms.load(room)).settings) !== null;
    await rooms.commitDecided(room, release());
    return claimed ? `released room ${room}: it is everyone's again` : `room ${room} is not claimed; nothing to release`;
  } finally {
    rooms.close();
    await store.close();
  }
}
