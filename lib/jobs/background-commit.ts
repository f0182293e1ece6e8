// A change the server makes by itself (time's up, a user joining the roster), away from any
// request: nobody waits for its answer, so a failure is logged rather than thrown.
import type { Decide, Rooms } from "../domain/rooms.ts";
import type { Logger } from "../base/log.ts";

/** Commits what `decide` decides for `room`; resolves whether the store took it (or nothing was to change). */
export function commitInBackground(rooms: Rooms, room: string, decide: Decide, logger: Logger, what: string): Promise<boolean> {
  const failed = (error: unknown) => {
    logger.log("warn", `${what} not stored`, { room, error: String(error) });
    return false;
  };
  try {
    return Promise.resolve(rooms.commitDecided(room, decide)).then(() => true, failed);
  } catch (error) {
    return Promise.resolve(failed(error));
  }
}
