// The terminal client's connection: the room as the JSON API answers it, and its WebSocket
// for word of every change. The socket names the watching user (`?user=`), so that a server
// that counts who is here counts them; a server that does not ignores the parameter.
import { VERSION } from "../base/version.ts";
import type { RoomData } from "../live/wire.ts";
import type { ClientOptions } from "./client-options.ts";

/** The server said no in a way that asking again will not change (a wrong key, a bad room name): exit. */
export class Refused extends Error {}

/** The server could not be reached or is busy: try again later. */
export class Unreachable extends Error {
  constructor(
    message: string,
    /** The server's Retry-After, in milliseconds. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

type Connection = Pick<ClientOptions, "server" | "room" | "user" | "authorization">;

function headersOf(options: Connection): Record<string, string> {
  const headers: Record<string, string> = { Accept: "application/json", "User-Agent": `mob-timer/${VERSION}` };
  if (options.authorization) headers.Authorization = options.authorization;
  return headers;
}

function roomApiUrl(options: Connection): URL {
  return new URL(`api/rooms/${encodeURIComponent(options.room)}`, options.server);
}

/** `error` of the server's JSON refusal, or null when the body is something else. */
async function errorOf(response: Response): Promise<string | null> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === "string" ? body.error : null;
  } catch {
    return null;
  }
}

/** The room now; throws Refused or Unreachable. `signal` ends the wait (a prompt's timeout). */
export async function readRoom(options: Connection, signal?: AbortSignal): Promise<RoomData> {
  const server = options.server.href;
  let response: Response;
  try {
    response = await fetch(roomApiUrl(options), { headers: headersOf(options), signal });
  } catch (error) {
    if (signal?.aborted) throw new Unreachable(`no answer from ${server} in time`);
    // Bun's messages run long ("ECONNREFUSED: Unable to connect. Is the computer able to…"); its code says it.
    const { code, message } = error as { code?: unknown; message: string };
    throw new Unreachable(`cannot reach ${server} (${typeof code === "string" ? code : message})`);
  }
  if (response.status === 200) {
    try {
      return (await response.json()) as RoomData;
    } catch {
      throw new Refused(`${server} does not answer as a mob-timer server (is MOB_TIMER_URL right?)`);
    }
  }
  const error = await errorOf(response);
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new Unreachable(`${server} answered ${response.status}${error ? `: ${error}` : ""}`, retryAfter > 0 ? retryAfter * 1000 : null);
  }
  if (response.status === 404 || error === null) throw new Refused(`${server} has no mob-timer API for room ${options.room} (${response.status}; is MOB_TIMER_URL right?)`);
  // The server speaks to every client; a user of this one puts the key where mob takes it.
  const hint = response.status === 401 && !options.authorization ? " (as for mob, the key goes in MOB_TIMER_URL: https://team:KEY@host/)" : "";
  throw new Refused(`room ${options.room}: ${error}${hint}`);
}

export interface RoomFollower {
  /** Something changed: read the room again. */
  changed(): void;
  /** The socket ended, or went silent; `reason` says how. */
  lost(reason: string): void;
}

/** How often the client asks the server for a sign of life, whatever its keep-alive setting. */
const PING_EVERY_MS = 15_000;

/**
 * Follows the room's WebSocket from change `since`: a client up to date hears only new
 * events. Returns a function that closes it without a word to `follower`.
 */
export function followRoom(options: Connection, since: number, follower: RoomFollower): () => void {
  const url = new URL(`${encodeURIComponent(options.room)}/ws`, options.server);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("since", String(since));
  if (options.user) url.searchParams.set("user", options.user);
  // Bun's WebSocket takes headers (the room key), which a browser's cannot.
  const socket = new WebSocket(url, { headers: headersOf(options) } as unknown as string[]);
  let heard = true;
  let done = false;
  const finish = (reason: string | null) => {
    if (done) return;
    done = true;
    clearInterval(pings);
    socket.close();
    if (reason !== null) follower.lost(reason);
  };
  const pings = setInterval(() => {
    if (!heard) return finish("the server went silent");
    heard = false;
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping", ref: "alive" }));
  }, PING_EVERY_MS);
  socket.onmessage = (message) => {
    heard = true;
    let event: unknown;
    try {
      event = (JSON.parse(String(message.data)) as { event?: unknown }).event;
    } catch {
      return;
    }
    if (typeof event === "string" && event !== "KEEP_ALIVE") follower.changed();
  };
  socket.onclose = (close) => finish(close.code === 1012 ? "the server is restarting" : "the connection closed");
  return () => finish(null);
}
