// The JSON API for integrations: a room as data (with ETag and long-poll), and changes that
// answer with the new state. Each is one call of the core, under the same limits, auth and
// checks as the original's routes.
import type { Clock } from "../../base/clock.ts";
import type { Config } from "../../config.ts";
import type { RoomCommand } from "../../domain/changes.ts";
import type { Room } from "../../domain/room.ts";
import type { Rooms } from "../../domain/rooms.ts";
import type { Fanout } from "../../live/fanout.ts";
import { roomTag } from "../../live/wire.ts";
import { MAX_WAIT_SECONDS, Waiter, type WaitWheel } from "../../live/longpoll.ts";
import { parseStartBody, wholeNumber } from "../api-requests.ts";
import { publicUrl } from "../client.ts";
import { HTTP_ERRORS } from "../errors.ts";
import { openApi } from "../openapi.ts";
import { hereFor, userOf, type Here } from "../here.ts";
import { parseGoalBody, parseGoalDeletion } from "../requests.ts";
import { json } from "../responses.ts";
import type { RequestContext } from "../router.ts";
import { startListener } from "./held-room.ts";
import { roomChanges, roomState } from "./room-change.ts";
import { roomName } from "./rooms.ts";

export interface ApiParts {
  config: Config;
  clock: Clock;
  rooms: Rooms;
  fanout: Fanout;
  waits: WaitWheel;
  here: Here;
}

/**
 * Any page may read the JSON API (a dashboard, a status page on an intranet site), but
 * without credentials: a browser then never sends a Basic-auth password of this server
 * along with another site's request. Changes get no such header (see checkOrigin).
 */
const READABLE_ANYWHERE = { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag" };
const STATE_HEADERS = { ...READABLE_ANYWHERE, "Cache-Control": "no-cache" };

/** Whether the client's `If-None-Match` names the room's current state. */
function unchanged(req: Request, seq: number): boolean {
  const tags = req.headers.get("if-none-match");
  if (tags === null) return false;
  const tag = roomTag(seq);
  return tags.split(",").some((t) => {
    const trimmed = t.trim();
    return trimmed === "*" || trimmed === tag || trimmed === `W/${tag}`;
  });
}

function notModified(seq: number): Response {
  return new Response(null, { status: 304, headers: { ...STATE_HEADERS, ETag: roomTag(seq) } });
}

const closing = HTTP_ERRORS.closing.with();

export function apiHandlers({ config, clock, rooms, fanout, waits, here }: ApiParts) {
  const name = (ctx: RequestContext) => roomName(ctx, config.maxRoomNameLength);

  const state = async (room: Room) => roomState(room, clock.now(), 200, STATE_HEADERS, await hereFor(here, room));
  const changeRoom = roomChanges(config, clock, rooms, here);

  /**
   * The room as data. With `since` and `wait` it is a long-poll: answered at once when the
   * room is not at `since`, else held until the next change (200 with the new state) or
   * for `wait` seconds (304). The seq is compared and the waiter joins the fan-out in one
   * turn, so that no change falls in between. In a team's room, `user` is here while a
   * wait is held, and a while after every answer (see Here.touch); a change of who is here
   * ends a wait too, at the same number.
   */
  async function readRoom(ctx: RequestContext): Promise<Response> {
    const room = name(ctx);
    const query = new URL(ctx.req.url).searchParams;
    const since = wholeNumber(query, "since");
    const wait = wholeNumber(query, "wait");
    const user = userOf(ctx.req, config.maxUserLength);
    if (wait === null || since === null || wait === 0) {
      const loaded = await rooms.load(room);
      if (user !== null) here.touch(room, user);
      return unchanged(ctx.req, loaded.seq) ? notModified(loaded.seq) : state(loaded);
    }
    const release = ctx.visitor.holdStream();
    return startListener(rooms, room, release, ctx.req.signal, (current, unhold) => {
      if (current.seq === since) return hold(ctx, room, since, Math.min(wait, MAX_WAIT_SECONDS), release, unhold, user);
      unhold();
      release();
      if (user !== null) here.touch(room, user);
      return state(current);
    });
  }

  function hold(ctx: RequestContext, room: string, since: number, seconds: number, release: () => void, unhold: () => void, user: string | null): Promise<Response> {
    // Bun closes a connection idle for 10 s; this one is idle on purpose.
    ctx.server?.timeout(ctx.req, 0);
    const waiter = new Waiter(user);
    const leave = fanout.join(room, waiter);
    unhold();
    const unschedule = waits.add(waiter, seconds);
    const gone = () => waiter.end("gone");
    ctx.req.signal.addEventListener("abort", gone, { once: true });
    return waiter.done.then(async (end) => {
      ctx.req.signal.removeEventListener("abort", gone);
      const current = rooms.find(room);
      leave();
      unschedule();
      release();
      if (end === "closing") throw closing;
      if (end === "changed" && current) return state(current);
      const loaded = await rooms.load(room);
      return loaded.seq === since ? notModified(since) : state(loaded);
    });
  }

  /** Reads the body, asks the core, and answers with the room as it is after the change. */
  function change(ctx: RequestContext, parse: (body: string) => RoomCommand, status: number): Promise<Response> {
    return changeRoom(ctx, (room, body) => rooms.commit(room, parse(body), ctx.visitor), status);
  }

  return {
    readRoom,
    startTimer: (ctx: RequestContext) => change(ctx, parseStartBody("TIMER"), 201),
    startBreak: (ctx: RequestContext) => change(ctx, parseStartBody("BREAKTIMER"), 201),
    setGoal: (ctx: RequestContext) => change(ctx, parseGoalBody, 200),
    deleteGoal: (ctx: RequestContext) => change(ctx, parseGoalDeletion, 200),
    openApi: (ctx: RequestContext) => json(openApi(publicUrl(ctx.req, config)), 200, READABLE_ANYWHERE),
  };
}
