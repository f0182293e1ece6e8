// Every refusal the server answers with, declared once (ntfy's server/errors.go): a status,
// a stable code for logs and metrics, a message that is safe to show to a client (with
// blanks for the limits and names it carries) and the headers that go with it. Handlers
// name an entry; only this file builds an HttpError (test/errors.test.ts). The core's own
// refusals (lib/domain/errors.ts) get their statuses here, in one table.
import { fill, type Fill, type FillArguments } from "../base/template.ts";
import { DOMAIN_ERRORS, type DomainError, type DomainErrorCode } from "../domain/errors.ts";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Headers = Readonly<Record<string, string>>;



/** One refusal: status, code, message and headers, with blanks filled from typed values. */
export class Refusal<const Message extends string, const H extends Headers> {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: Message,
    readonly headers: H,
  ) {}

  /** The error, with the blanks of its message and its headers filled. */
  with(...[values = {} as Fill<Message | H[keyof H]>]: FillArguments<Message | H[keyof H]>): HttpError {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.headers)) headers[name] = fill(value, values);
    return new HttpError(this.status, this.code, fill(this.message, values), headers);
  }
}

function refusal<const Message extends string, const H extends Headers = {}>(status: number, code: string, message: Message, headers: H = {} as H) {
  return new Refusal(status, code, message, headers);
}

const RETRY = { "Retry-After": "{retryAfter}" } as const;

/**
 * A refused stream's connection is closed: a client that kept it open would hold a file
 * descriptor, and the total limit exists to keep descriptors free.
 */
const REFUSED_STREAM = { "Retry-After": "10", Connection: "close" } as const;

export const HTTP_ERRORS = {
  notJson: refusal(400, "bad_request", "body is not valid JSON"),
  notObject: refusal(400, "bad_request", "body must be a JSON object"),
  notString: refusal(400, "bad_request", '"{field}" must be a string'),
  notStringOrNull: refusal(400, "bad_request", '"{field}" must be a string or null'),
  notWhole: refusal(400, "bad_request", '"{field}" must be a whole number'),
  notWholeOrNull: refusal(400, "bad_request", '"{field}" must be a whole number or null'),
  notMinutes: refusal(400, "bad_request", '"{field}" must be a whole number of minutes'),
  notOneOf: refusal(400, "bad_request", '"{field}" must be one of {choices}'),
  notBoolean: refusal(400, "bad_request", '"{field}" must be true or false'),
  timerAndBreak: refusal(400, "bad_request", 'send either "timer" or "breaktimer", not both'),
  noTimer: refusal(400, "bad_request", 'body needs "timer" or "breaktimer" (minutes)'),
  positionNotWhole: refusal(400, "bad_request", '"to" must be a whole number: the new position, 0 first'),
  statsDays: refusal(400, "bad_request", '"days" must be a whole number from 1 to {max}'),
  badRef: refusal(400, "bad_request", '"ref" must be a number or a string of at most {max} characters'),
  hookEvents: refusal(400, "bad_request", '"events" must be a list of one or more of {choices}'),
  hookUrl: refusal(400, "bad_request", '"url" must be the URL to send to'),
  /** What is wrong with a hook's URL, as the check of its address found it (lib/hooks). */
  hookTarget: refusal(400, "bad_request", "{problem}"),
  secretUnsigned: refusal(400, "bad_request", 'only "json" hooks are signed: leave "secret" out'),
  secretLength: refusal(400, "bad_request", '"secret" must be a string of {min} to {max} characters'),
  binaryMessage: refusal(400, "bad_request", "messages must be JSON text, not binary"),
  badUpgrade: refusal(400, "bad_upgrade", "the WebSocket handshake is incomplete"),
  twoHosts: refusal(400, "two_hosts", "the request has more than one Host header"),
  unauthorized: refusal(401, "unauthorized", "this server needs a user name and password", { "WWW-Authenticate": 'Basic realm="mob-timer", charset="UTF-8"' }),
  keyNeededToChange: refusal(401, "room_key_needed", "this room is claimed: changing it needs its key (send it in the {header} header, or as the password of Basic authentication)"),
  keyNeededToRead: refusal(401, "room_key_needed", "this room is private: reading it needs its key (send it in the {header} header, or as the password of Basic authentication)"),
  /** A member's route that only reads (GET .../owner): what the room's team alone may see. */
  keyNeededForTeamRead: refusal(401, "room_key_needed", "this room is claimed: only its team may read this, with its key (send it in the {header} header, or as the password of Basic authentication)"),
  roomKeyWrong: refusal(401, "room_key_wrong", "the room key is wrong"),
  crossOrigin: refusal(403, "cross_origin", "a page on another site may read this server's rooms but not change them or open their sockets"),
  notFound: refusal(404, "not_found", "nothing here: {path}"),
  noSuchFile: refusal(404, "not_found", "There is no such file."),
  noSuchHook: refusal(404, "not_found", "the room has no hook of that id"),
  noRotationStats: refusal(404, "not_found", "this room has no statistics: only a team's room (one with a roster or a break cadence) counts its rotation"),
  /** A page for a room that cannot exist is simply not there. */
  noSuchPage: refusal(404, "bad_room_name", "There is no page here: {problem}."),
  methodNotAllowed: refusal(405, "method_not_allowed", "{method} is not allowed here; use {allow}", { Allow: "{allow}" }),
  roomClaimed: refusal(409, "room_claimed", "this room is claimed already; ask its team for the key"),
  roomUnclaimed: refusal(409, "room_unclaimed", "nobody has claimed this room; claim it first"),
  bodyTooLarge: refusal(413, "body_too_large", "request body is larger than {limit} bytes"),
  misdirected: refusal(421, "host", "This server does not answer to that host name. Its operator can allow it with ALLOWED_HOSTS or PUBLIC_URL."),
  upgradeRequired: refusal(426, "upgrade_required", "this is a WebSocket: connect with a WebSocket client (ws:// or wss://)", { Upgrade: "websocket" }),
  authGuesses: refusal(429, "auth_guesses", "too many wrong passwords from your address; try again later", RETRY),
  roomKeyTries: refusal(429, "room_key_tries", "too many room keys tried for {who}; try again later", RETRY),
  writeRate: refusal(429, "write_rate", "too many changes from your address; at most {perMinute} a minute", RETRY),
  readRate: refusal(429, "read_rate", "too many reads from your address; at most {perMinute} a minute", RETRY),
  streamOpens: refusal(429, "stream_opens", "too many event streams opened from your address; at most {perMinute} a minute", RETRY),
  streamsPerClient: refusal(429, "streams_per_client", "too many open event streams from your address; at most {max}", REFUSED_STREAM),
  streamsTotal: refusal(429, "streams_total", "the server holds its maximum of {max} event streams", REFUSED_STREAM),
  internal: refusal(500, "internal", "Something went wrong on the server; it has been logged."),
  closing: refusal(503, "closing", "the server is restarting; ask again in a second", { "Retry-After": "1" }),
} as const;

/** The core's refusals, as HTTP statuses. */
const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  bad_request: 400,
  bad_room_name: 400,
  rooms_full: 429,
  rooms_per_client: 429,
  storage_unavailable: 503,
};

/** How errors of a route are shown: JSON for API clients, a page for browsers. */
export type RouteKind = "api" | "page";

/** The core's error as an answer; its wait, when it knows one, as Retry-After. */
export function fromDomain(error: DomainError, kind: RouteKind): HttpError {
  if (error.code === "bad_room_name" && kind === "page") return HTTP_ERRORS.noSuchPage.with({ problem: error.message });
  const headers: Record<string, string> = error.retryAfter === undefined ? {} : { "Retry-After": String(error.retryAfter) };
  return new HttpError(DOMAIN_STATUS[error.code], error.code, error.message, headers, { cause: error.cause });
}

/** One line of the catalog, as the API's document lists it. */
export interface CatalogEntry {
  code: string;
  status: number;
  message: string;
}

/** Every refusal, the server's and the core's, once each (a change over its limit is both), by status then code. */
export function errorCatalog(): CatalogEntry[] {
  const own = Object.values(HTTP_ERRORS).map(({ code, status, message }) => ({ code, status, message }));
  const core = Object.values(DOMAIN_ERRORS).map(({ code, message }) => ({ code, status: DOMAIN_STATUS[code], message }));
  const once = new Map([...own, ...core].map((entry) => [`${entry.status} ${entry.code} ${entry.message}`, entry]));
  return [...once.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}
