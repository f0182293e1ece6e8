// Room keys: where a request carries one, and whether it is the room's. The stored hash is
// slow to check on purpose (Bun.password, tens of ms), so a key once found right is
// remembered per room by a fast digest, and each further request of the team costs a
// SHA-256; rotating the key changes the stored hash, which forgets what was remembered.
// Every slow check spends a try of the client (its visitor's key tries) and of the room,
// so that guessing is slow and the slow hash cannot be made to run without end.
import type { RoomOwner } from "../domain/settings.ts";
import type { Budget } from "./budgets.ts";
import { basicCredentials, digest, sameDigest } from "./auth.ts";
import { HTTP_ERRORS } from "./errors.ts";
import type { Visitor } from "./visitor.ts";

/** The slow hash, injected: Bun.password in the server. */
export interface KeyHashing {
  hash(key: string): Promise<string>;
  verify(key: string, hash: string): Promise<boolean>;
}

/** Argon2id, Bun's default: slow on purpose, with its salt and settings inside the hash. */
export const bunHashing: KeyHashing = {
  hash: (key) => Bun.password.hash(key),
  verify: (key, hash) => Bun.password.verify(key, hash),
};

/** Where pages and API clients send the room key; the mob CLI sends it as its Basic password instead. */
export const ROOM_KEY_HEADER = "X-Room-Key";

/**
 * The room key a request carries: the X-Room-Key header, else the Basic password (any user
 * name). With server-wide Basic auth on, Basic carries the server's password, so the room
 * key comes in the header only.
 */
export function presentedKey(req: Request, serverAuth: boolean): string | null {
  const header = req.headers.get(ROOM_KEY_HEADER)?.trim();
  if (header) return header;
  if (serverAuth) return null;
  const credentials = basicCredentials(req);
  if (credentials === null) return null;
  const colon = credentials.indexOf(":");
  return colon === -1 ? null : credentials.slice(colon + 1) || null;
}

/** 256 random bits as 43 URL-safe characters: they go into URLs and the CLI's userinfo unescaped. */
export function newRoomKey(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

/** Rooms whose right key is remembered at once; the oldest is forgotten first. */
const REMEMBERED_ROOMS = 10_000;

const wrongKey = HTTP_ERRORS.roomKeyWrong.with();

export class RoomKeys {
  /** Per room: the stored hash a key was found right against, and that key's SHA-256. */
  private readonly known = new Map<string, { hash: string; digest: Uint8Array }>();

  constructor(
    private readonly hashing: KeyHashing,
    /** Slow checks per room, whoever makes them. */
    private readonly byRoom: Budget,
  ) {}

  hash(key: string): Promise<string> {
    return this.hashing.hash(key);
  }

  /** Nothing when `key` is the room's; throws 401 when it is not, 429 while the visitor or the room has tried too often. */
  async check(room: string, owner: RoomOwner, key: string, visitor: Pick<Visitor, "tryKey">, now: number): Promise<void> {
    const fast = digest(key);
    const known = this.known.get(room);
    if (known !== undefined && known.hash === owner.hash && sameDigest(known.digest, fast)) return;
    await visitor.tryKey(now);
    const roomRetry = await this.byRoom.take(room, now);
    if (roomRetry !== null) throw HTTP_ERRORS.roomKeyTries.with({ who: "this room", retryAfter: roomRetry });
    if (!(await this.hashing.verify(key, owner.hash))) throw wrongKey;
    this.remember(room, owner.hash, fast);
  }

  private remember(room: string, hash: string, fast: Uint8Array): void {
    this.known.delete(room);
    this.known.set(room, { hash, digest: fast });
    if (this.known.size > REMEMBERED_ROOMS) this.known.delete(this.known.keys().next().value!);
  }
}
