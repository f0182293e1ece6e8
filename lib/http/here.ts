// Who is here, as the HTTP layer reaches it: the name a listener gives with `?user=`, checked
// as a roster's names are, and what the presence job keeps (lib/jobs/presence.ts) through
// this narrow type.
import { DOMAIN_ERRORS } from "../domain/errors.ts";
import type { Room } from "../domain/room.ts";
import { isBlank } from "../domain/rules.ts";
import { optedIn } from "../domain/team.ts";
import { NO_ONE } from "../live/wire.ts";

export interface Here {
  /** A client that holds no connection (a long-poll between waits) said who it is: here now, and a while after. */
  touch(room: string, user: string): void;
  /** Who is here in `room`, on every instance. */
  hereIn(room: string): Promise<readonly string[]>;
}

/**
 * `?user=`: who the client says it is, or null when it does not say. Limited as a roster's
 * names are (a listener is who the roster counts): not blank, at most `maxLength` characters;
 * anything else is refused before a connection is opened.
 */
export function userOf(req: Request, maxLength: number): string | null {
  // Most listeners (the original page, `mob`) give no query at all: nothing is parsed for them.
  if (!req.url.includes("?")) return null;
  const user = new URL(req.url).searchParams.get("user");
  if (user === null) return null;
  if (isBlank(user)) throw DOMAIN_ERRORS.userEmpty.with();
  if (user.length > maxLength) throw DOMAIN_ERRORS.userTooLong.with({ max: maxLength });
  return user;
}

/** Who is here, for a team's room's answer; nothing is read for any other room. */
export function hereFor(here: Here, room: Room): Promise<readonly string[]> | readonly string[] {
  return optedIn(room.settings) ? here.hereIn(room.name) : NO_ONE;
}
