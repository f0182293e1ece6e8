// Who may read a room and who may change it, in one gate that the route table puts in front
// of every route naming a room: `access.viewer(handler)` for a way of reading it,
// `access.member(handler)` for a way of changing it (or of reading what only its team may).
// A change from another site's page is refused here, for every route and every room. A room
// nobody claimed passes at once, whatever the request carries; a claimed room needs its key
// for changes, and a private one for reading too. A key a request carries is checked whenever the room is claimed,
// so that a wrong one is never silently taken for watching.
import type { Clock } from "../base/clock.ts";
import { after } from "../base/later.ts";
import type { RoomEvent } from "../domain/changes.ts";
import { ownerOf } from "../domain/owner.ts";
import type { Room } from "../domain/room.ts";
import type { RoomObserver, Rooms } from "../domain/rooms.ts";
import type { Fanout } from "../live/fanout.ts";
import { HTTP_ERRORS } from "./errors.ts";
import { roomName } from "./handlers/rooms.ts";
import { presentedKey, ROOM_KEY_HEADER, type RoomKeys } from "./room-keys.ts";
import type { Handler, RequestContext } from "./router.ts";

export interface RoomAccessParts {
  rooms: Rooms;
  keys: RoomKeys;
  fanout: Fanout;
  clock: Clock;
  maxRoomNameLength: number;
  /** Server-wide Basic auth is on: Basic then carries the server's password, not a room key. */
  serverAuth: boolean;
  /** Throws 403 for a request from another site's page (see origin.ts). */
  checkOrigin: (req: Request) => void;
}

type Need = "viewer" | "member";

const keyNeeded = {
  change: HTTP_ERRORS.keyNeededToChange.with({ header: ROOM_KEY_HEADER }),
  teamRead: HTTP_ERRORS.keyNeededForTeamRead.with({ header: ROOM_KEY_HEADER }),
  privateRead: HTTP_ERRORS.keyNeededToRead.with({ header: ROOM_KEY_HEADER }),
};

/** A member's route answering GET only reads: no origin to check, and a refusal that says so. */
function reads(req: Request): boolean {
  return req.method === "GET" || req.method === "HEAD";
}

export class RoomAccess implements RoomObserver {
  /** Per request, the stored hash its key was found right against: what a socket opened by it may do later. */
  private readonly grants = new WeakMap<Request, string>();
  private readonly stopObserving: () => void;

  constructor(private readonly parts: RoomAccessParts) {
    this.stopObserving = parts.rooms.observe(this);
  }

  /** The handler behind the gate of a way of reading the room: the key only for a private room. */
  viewer(handler: Handler): Handler {
    return this.gate("viewer", handler);
  }

  /** The handler behind the gate of a way of changing the room: the key for a claimed room. */
  member(handler: Handler): Handler {
    return this.gate("member", handler);
  }

  /** The stored hash the request's key was found right against; null when it carried none (or the room is nobody's). */
  grantOf(req: Request): string | null {
    return this.grants.get(req) ?? null;
  }

  /** Throws 401 unless a change by the holder of `grant` (see grantOf) may be made to `room` now. */
  checkChange(room: Room | undefined, grant: string | null): void {
    const owner = room && ownerOf(room.settings);
    if (owner && owner.hash !== grant) throw keyNeeded.change;
  }

  /**
   * The room is held while the handler runs, so that the handler finds it in memory: a room
   * nobody claimed costs nothing beyond the read its handler makes anyway. The pipeline lets
   * it go once the handler has answered (ctx.release).
   */
  private gate(need: Need, handler: Handler): Handler {
    const { rooms, keys, clock, serverAuth, maxRoomNameLength, checkOrigin } = this.parts;
    return (ctx: RequestContext) => {
      const name = roomName(ctx, maxRoomNameLength);
      const reading = need === "viewer" || reads(ctx.req);
      if (!reading) checkOrigin(ctx.req);
      const refusal = need === "viewer" ? keyNeeded.privateRead : reading ? keyNeeded.teamRead : keyNeeded.change;
      rooms.hold(name);
      ctx.release = () => rooms.release(name);
      // In memory, a room nobody claimed passes in the same turn: every room route goes
      // through here, an event stream's open and a PUT included (the shortcut of later.ts).
      return after(rooms.load(name), (room) => {
        const owner = ownerOf(room.settings);
        if (owner === null) return handler(ctx);
        const key = presentedKey(ctx.req, serverAuth);
        if (key === null) {
          if (need === "member" || owner.private) throw refusal;
          return handler(ctx);
        }
        return keys.check(name, owner, key, ctx.visitor, clock.now()).then(() => {
          this.grants.set(ctx.req, owner.hash);
          return handler(ctx);
        });
      });
    };
  }

  /**
   * A room that became private, or a private room whose key changed, ends its listeners:
   * they come back, and only those with the key are let in. Told on every instance.
   */
  changed(event: RoomEvent, room: Room): void {
    const { change } = event;
    if (change.kind !== "settings" || change.cause.type !== "owner") return;
    const owner = ownerOf(room.settings);
    if (change.cause.action === "private" || (change.cause.action === "rotated" && owner?.private)) this.parts.fanout.closeRoom(room.name);
  }

  close(): void {
    this.stopObserving();
  }
}
