// The routes of a room a team owns: claim it (the key is answered once, and only its slow
// hash kept), see whether it is claimed, make it private or public, rotate its key, release
// it. Each change is one settings change through the core, so it is numbered, stored with
// the room and enforced by every instance. The hash never leaves the server.
import type { Config } from "../../config.ts";
import type { Decide, Rooms } from "../../domain/rooms.ts";
import { claim, makePrivate, ownerOf, ownerStatus, release, rotate } from "../../domain/owner.ts";
import type { Room } from "../../domain/room.ts";
import { readBody } from "../body.ts";
import { HTTP_ERRORS } from "../errors.ts";
import { checkOrigin } from "../origin.ts";
import { parseObject } from "../requests.ts";
import { json } from "../responses.ts";
import { newRoomKey, type RoomKeys } from "../room-keys.ts";
import type { RequestContext } from "../router.ts";
import { roomName } from "./rooms.ts";

export interface OwnerHandlerParts {
  config: Config;
  rooms: Rooms;
  keys: RoomKeys;
}

/** A key is said once and must never be kept by a cache on the way. */
const SECRET_HEADERS = { "Cache-Control": "no-store" };

const claimedAlready = HTTP_ERRORS.roomClaimed.with();
const unclaimed = HTTP_ERRORS.roomUnclaimed.with();

/** `{"private": true}`, or nothing: whether reading will need the key. */
function parsePrivacy(body: string, required: boolean): boolean {
  if (body.trim() === "" && !required) return false;
  const value = parseObject(body).private;
  if (value === undefined && !required) return false;
  if (typeof value !== "boolean") throw HTTP_ERRORS.notBoolean.with({ field: "private" });
  return value;
}

/** What anyone with access may know of the room's ownership. */
function statusOf(room: Room) {
  const owner = ownerOf(room.settings);
  return { room: room.name, ...ownerStatus(owner), since: owner?.claimed ?? null };
}

export function ownerHandlers({ config, rooms, keys }: OwnerHandlerParts) {
  const name = (ctx: RequestContext) => roomName(ctx, config.maxRoomNameLength);

  /** Commits `decide` and answers the room's status after it; 409 when the room needed an owner and has none. */
  async function change(ctx: RequestContext, decide: Decide, needsOwner: boolean, extra: Record<string, unknown> = {}): Promise<Response> {
    const room = name(ctx);
    await rooms.commitDecided(room, decide, ctx.visitor);
    const changed = await rooms.load(room);
    if (needsOwner && ownerOf(changed.settings) === null) throw unclaimed;
    return json({ ...statusOf(changed), ...extra }, 200, SECRET_HEADERS);
  }

  async function claimRoom(ctx: RequestContext): Promise<Response> {
    const room = name(ctx);
    checkOrigin(ctx.req, config);
    const isPrivate = parsePrivacy(await readBody(ctx.req, config.maxBodyBytes), false);
    // The slow hash is not paid for a room that is someone's already.
    if (ownerOf((await rooms.load(room)).settings) !== null) throw claimedAlready;
    const key = newRoomKey();
    const event = await rooms.commitDecided(room, claim(await keys.hash(key), isPrivate), ctx.visitor);
    if (event === null) throw claimedAlready;
    return json({ ...statusOf(await rooms.load(room)), key }, 201, SECRET_HEADERS);
  }

  async function setPrivacy(ctx: RequestContext): Promise<Response> {
    const isPrivate = parsePrivacy(await readBody(ctx.req, config.maxBodyBytes), true);
    return change(ctx, makePrivate(isPrivate), true);
  }

  async function rotateKey(ctx: RequestContext): Promise<Response> {
    // The slow hash is not paid for a room that nobody owns.
    if (ownerOf((await rooms.load(name(ctx))).settings) === null) throw unclaimed;
    const key = newRoomKey();
    return change(ctx, rotate(await keys.hash(key)), true, { key });
  }

  function releaseRoom(ctx: RequestContext): Promise<Response> {
    return change(ctx, release(), false);
  }

  async function readOwner(ctx: RequestContext): Promise<Response> {
    return json(statusOf(await rooms.load(name(ctx))), 200, SECRET_HEADERS);
  }

  return { claimRoom, readOwner, setPrivacy, rotateKey, releaseRoom };
}
