// The original's room routes: start a timer or break, read, set and delete the goal, and
// follow the room's event stream. Each turns a request into one call of the core.
import type { Config } from "../../config.ts";
import { DOMAIN_ERRORS } from "../../domain/errors.ts";
import type { Room } from "../../domain/room.ts";
import type { Rooms } from "../../domain/rooms.ts";
import { roomNameProblem } from "../../domain/rules.ts";
import { optedIn } from "../../domain/team.ts";
import type { Logger } from "../../base/log.ts";
import type { Fanout } from "../../live/fanout.ts";
import { goalJson } from "../../live/wire.ts";
import { replayBytes, RoomStream, sseResponse, type SseCounters, type SseStream } from "../../live/sse.ts";
import { readBody } from "../body.ts";
import { goalLine, timerLine } from "../cli-line.ts";
import { userOf } from "../here.ts";
import { publicUrl } from "../client.ts";
import { parseGoalBody, parseGoalDeletion, parseTimerBody } from "../requests.ts";
import { accepted } from "../responses.ts";
import type { RequestContext } from "../router.ts";
import { startListener } from "./held-room.ts";

export interface RoomHandlerParts {
  config: Config;
  rooms: Rooms;
  fanout: Fanout;
  sse: SseCounters;
  logger: Logger;
}

/** The room named in the path, or the core's refusal of the name. */
export function roomName(ctx: RequestContext, maxLength: number): string {
  const name = ctx.params.room!;
  const problem = roomNameProblem(name, maxLength);
  if (problem !== null) throw DOMAIN_ERRORS.badRoomName.with({ problem });
  return name;
}

export function roomHandlers({ config, rooms, fanout, sse, logger }: RoomHandlerParts) {
  const room = (ctx: RequestContext) => roomName(ctx, config.maxRoomNameLength);

  /** Reads the body, then asks the core; the name is checked first, as every route does. */
  function change(ctx: RequestContext, parse: (body: string) => Parameters<Rooms["commit"]>[1]) {
    const name = room(ctx);
    return readBody(ctx.req, config.maxBodyBytes).then((body) => rooms.commit(name, parse(body), ctx.visitor));
  }

  /**
   * The line a team's room answers the mob CLI with, from the room as it is after the change;
   * null in other rooms, for which nothing more is worked out on every PUT.
   */
  function teamLine(ctx: RequestContext, name: string, line: (room: Room, roomUrl: string) => string | null): string | null {
    // The room gate holds the room while its handler runs, so it is in memory.
    const held = rooms.find(name);
    return held && optedIn(held.settings) ? line(held, `${publicUrl(ctx.req, config)}/${name}`) : null;
  }

  async function startTimer(ctx: RequestContext): Promise<Response> {
    const event = await change(ctx, parseTimerBody);
    if (event?.change.kind === "timer" || event?.change.kind === "break") {
      const { entry } = event.change;
      logger.log("info", `${event.change.kind} started`, { room: event.room, minutes: entry.timer, user: entry.user, next: entry.nextUser });
      return accepted(teamLine(ctx, event.room, (room, url) => timerLine(room, entry, url)));
    }
    return accepted();
  }

  async function setGoal(ctx: RequestContext): Promise<Response> {
    const event = await change(ctx, parseGoalBody);
    if (event?.change.kind === "goal-set") {
      const { goal } = event.change;
      logger.log("info", "goal set", { room: event.room, user: goal.user });
      return accepted(teamLine(ctx, event.room, (room, url) => goalLine(room, goal.goal ?? "", url)));
    }
    return accepted();
  }

  async function deleteGoal(ctx: RequestContext): Promise<Response> {
    const event = await change(ctx, parseGoalDeletion);
    if (event) logger.log("info", "goal deleted", { room: event.room, user: event.change.kind === "goal-deleted" ? event.change.goal.user : null });
    return accepted();
  }

  async function readGoal(ctx: RequestContext): Promise<Response> {
    const { goal } = await rooms.load(room(ctx));
    return goal.goal === null
      ? new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } })
      : new Response(goalJson(goal.goal), {
          headers: { "Content-Type": "application/json; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" },
        });
  }

  /**
   * Opens the room's event stream. The room is held from before it is read until the stream
   * has joined the fan-out, so it cannot leave memory in between; the state is sent and the
   * stream joins in one turn, so that no change falls between the replay and live events.
   */
  async function roomEvents(ctx: RequestContext): Promise<Response> {
    const name = room(ctx);
    if (ctx.req.method === "HEAD") return sseResponse(ctx.req, ctx.server, sse, () => () => {});
    const { req, server } = ctx;
    const user = userOf(req, config.maxUserLength);
    const release = ctx.visitor.holdStream();
    return startListener(rooms, name, release, req.signal, (room, unhold) => sseResponse(req, server, sse, joinRoom(name, room, unhold, release, user)));
  }

  /**
   * What a room's stream does when it starts, made apart from the request: a stream keeps
   * it for its life, and with it nothing of the request.
   */
  function joinRoom(name: string, room: Room, unhold: () => void, release: () => void, user: string | null): (stream: SseStream) => () => void {
    // Used once, then let go: the hold's function keeps the request's handler.
    let read: Room | null = room;
    let letGo: (() => void) | null = unhold;
    return (stream) => {
      stream.send(replayBytes(rooms.find(name) ?? read!, fanout.hereIn(name)));
      const leave = fanout.join(name, new RoomStream(stream, user));
      letGo!();
      read = letGo = null;
      return () => {
        leave();
        release();
      };
    };
  }

  return { startTimer, setGoal, deleteGoal, readGoal, roomEvents };
}
