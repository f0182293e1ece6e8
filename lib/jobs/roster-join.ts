// A user who starts a timer in a room with a roster, and is not on it, joins at its end: a
// roster change committed after the timer's, once, by the process that stored the timer.
import { isBlank } from "../domain/rules.ts";
import type { Rooms } from "../domain/rooms.ts";
import { rosterOf } from "../domain/team.ts";
import { joinChange } from "../domain/team-changes.ts";
import type { Logger } from "../base/log.ts";
import { commitInBackground } from "./background-commit.ts";

export function rosterJoinJob(rooms: Rooms, logger: Logger): () => void {
  return rooms.observe({
    committed(event) {
      if (event.change.kind !== "timer") return;
      const { user } = event.change.entry;
      const roster = rosterOf(rooms.find(event.room)?.settings ?? null);
      if (isBlank(user) || !roster || roster.members.some((member) => member.name === user)) return;
      void commitInBackground(rooms, event.room, joinChange(user), logger, "roster join");
    },
  });
}
