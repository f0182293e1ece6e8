// WebSocket rooms: `GET /<room>/ws` upgrades (after the pipeline's host, auth and rate
// checks, and the origin and stream limits here), and the socket handlers Bun calls
// afterwards: opening state, commands with their one reply each, and the close.
import type { WebSocketHandler } from "bun";
import type { Clock } from "../../base/clock.ts";
import type { Config } from "../../config.ts";
import { DomainError } from "../../domain/errors.ts";
import type { Rooms } from "../../domain/rooms.ts";
import type { Logger } from "../../base/log.ts";
import type { Fanout } from "../../live/fanout.ts";
import { socketDone, socketRefused, type Ref } from "../../live/ws.ts";
import { SOCKET_BACKLOG_BYTES, SocketListener, type RoomSocket, type SocketData, type SocketRooms } from "../../live/ws.ts";
import { parseSocketMessage, refOf, wholeNumber, type SocketRequest } from "../api-requests.ts";
import { HTTP_ERRORS, HttpError } from "../errors.ts";
import { userOf } from "../here.ts";
import { checkOrigin } from "../origin.ts";
import { parseObject } from "../requests.ts";
import type { RoomAccess } from "../room-access.ts";
import type { RequestContext } from "../router.ts";
import { startListener } from "./held-room.ts";
import { roomName } from "./rooms.ts";

export interface SocketParts {
  config: Config;
  clock: Clock;
  rooms: Rooms;
  fanout: Fanout;
  sockets: SocketRooms;
  logger: Logger;
  access: Pick<RoomAccess, "grantOf" | "checkChange">;
}

const binary = HTTP_ERRORS.binaryMessage.with();

const notUpgraded = HTTP_ERRORS.upgradeRequired.with();

export function socketHandlers({ config, clock, rooms, fanout, sockets, logger, access }: SocketParts) {
  const hereIn = (room: string) => fanout.hereIn(room);

  /**
   * Upgrades the request. The room is held from before it is read until the socket has
   * opened and joined the fan-out (open() sends the state and subscribes in one turn).
   */
  function roomSocket(ctx: RequestContext): Promise<Response | undefined> {
    const room = roomName(ctx, config.maxRoomNameLength);
    checkOrigin(ctx.req, config);
    const server = ctx.server;
    if (!server || ctx.req.headers.get("upgrade")?.toLowerCase() !== "websocket") throw notUpgraded;
    const since = wholeNumber(new URL(ctx.req.url).searchParams, "since");
    const user = userOf(ctx.req, config.maxUserLength);
    const release = ctx.visitor.holdStream();
    // The hold passes to the socket: open() lets it go once joined, close() if it never opened.
    return startListener(rooms, room, release, ctx.req.signal, (_, unhold) => {
      const data: SocketData = { room, visitor: ctx.visitor, since, user, release, unhold, leave: () => {}, opened: false, heard: performance.now(), grant: access.grantOf(ctx.req) };
      if (server.upgrade(ctx.req, { data })) return undefined;
      throw HTTP_ERRORS.badUpgrade.with();
    });
  }

  /** What a client is told went wrong: refusals as they are, anything else logged. */
  function reason(error: unknown): string {
    if (error instanceof HttpError || error instanceof DomainError) return error.message;
    logger.log("error", "socket message failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return "something went wrong on the server; it has been logged";
  }

  /** Tells the client its change is stored, with the room's number after it, or why it is not. */
  async function reply(ws: RoomSocket, ref: Ref, committed: ReturnType<Rooms["commit"]>): Promise<void> {
    try {
      const event = await committed;
      ws.send(socketDone(ref, event?.seq ?? null));
    } catch (error) {
      ws.send(socketRefused(ref, reason(error)));
    }
  }

  /** One message, one reply: after the change is stored, or naming what is wrong. */
  async function message(ws: RoomSocket, text: string | Buffer): Promise<void> {
    const { room, visitor } = ws.data;
    ws.data.heard = performance.now();
    const now = clock.now();
    let ref: Ref = null;
    try {
      let request: SocketRequest;
      try {
        if (typeof text !== "string") throw binary;
        const fields = parseObject(text);
        ref = refOf(fields);
        request = parseSocketMessage(fields);
      } catch (error) {
        // A bad message costs a read, as a ping does: garbage sent in a loop is limited too.
        visitor.read(now);
        throw error;
      }
      if (request.kind === "ping") {
        visitor.read(now);
        ws.send(socketDone(ref, null));
        return;
      }
      await visitor.write(now);
      access.checkChange(rooms.find(room), ws.data.grant);
      void reply(ws, ref, rooms.commit(room, request.command, visitor));
    } catch (error) {
      ws.send(socketRefused(ref, reason(error)));
    }
  }

  const websocket: WebSocketHandler<SocketData> = {
    // Silence is judged on the keep-alive round (SocketListener.heartbeat), which also pings:
    // Bun's own idle timeout let a client that answered nothing stay (checked on 1.4.5).
    idleTimeout: 0,
    sendPings: false,
    maxPayloadLength: config.maxBodyBytes,
    backpressureLimit: SOCKET_BACKLOG_BYTES,
    closeOnBackpressureLimit: true,
    // A room's first socket publishes each event for all of them, itself included.
    publishToSelf: true,
    open(ws) {
      const data = ws.data;
      const room = rooms.find(data.room);
      // Held since the upgrade, so in memory; close() lets the hold go otherwise.
      if (!room) {
        ws.close(1011, "the room could not be read; try again");
        return;
      }
      sockets.open(ws, room, fanout.hereIn(data.room));
      data.leave = fanout.join(data.room, new SocketListener(ws, sockets, config.wsIdleSeconds * 1000, hereIn));
      data.opened = true;
      data.unhold();
    },
    message,
    pong(ws) {
      ws.data.heard = performance.now();
    },
    close(ws) {
      const data = ws.data;
      data.leave();
      data.release();
      if (data.opened) sockets.closed(data.room);
      else data.unhold();
    },
    error(error) {
      logger.log("error", "socket handler failed", { error: error.stack ?? error.message });
    },
  };

  return { roomSocket, websocket };
}
