// Errors of the room core, as values with a stable code. The core knows no transport: its
// refusals are declared once below, and the HTTP layer maps each code to a status in one
// table (lib/http/errors.ts). The core may not import the HTTP layer (test/layers.test.ts),
// so its catalog lives here and the HTTP catalog lists it beside its own.
import { fill, type Fill, type FillArguments } from "../base/template.ts";

export type DomainErrorCode =
  /** The command itself is wrong: a name too long, an empty goal. */
  | "bad_request"
  | "bad_room_name"
  /** The server holds as many rooms as it may; existing rooms go on. */
  | "rooms_full"
  /** One client created as many new rooms as it may for now. */
  | "rooms_per_client"
  /** The store refused or failed the write: nothing changed, the client may try again. */
  | "storage_unavailable";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Seconds after which trying again can succeed, when that is known. */
    readonly retryAfter?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a refusal may carry beyond its message: a wait known only when refusing, the failure behind it. */
interface Details {
  retryAfter?: number;
  cause?: unknown;
}

/** One refusal of the core: its code and its message, with blanks for the values it names. */
export class DomainRefusal<const Message extends string> {
  constructor(
    readonly code: DomainErrorCode,
    readonly message: Message,
    /** Seconds after which trying again can succeed, when the refusal itself knows. */
    private readonly retryAfter?: number,
  ) {}

  with(...[values = {} as Fill<Message>, details = {}]: FillArguments<Message, [details?: Details]>): DomainError {
    return new DomainError(this.code, fill(this.message, values), details.retryAfter ?? this.retryAfter, { cause: details.cause });
  }
}

const refusal = <const Message extends string>(code: DomainErrorCode, message: Message, retryAfter?: number) => new DomainRefusal(code, message, retryAfter);

/** A store that failed: nothing changed, and a few seconds later it may work. */
const STORAGE_RETRY_SECONDS = 5;

/** Every refusal of the core. */
export const DOMAIN_ERRORS = {
  userTooLong: refusal("bad_request", '"user" is longer than {max} characters'),
  userEmpty: refusal("bad_request", '"user" is empty; leave it out to follow the room without a name'),
  emptyGoal: refusal("bad_request", '"goal" is empty; DELETE the goal to remove it'),
  cadenceOutOfRange: refusal("bad_request", '"{field}" must be null or a whole number from 1 to {max}'),
  tooManyHooks: refusal("bad_request", "the room has its maximum of {max} hooks; remove one first"),
  memberNameEmpty: refusal("bad_request", '"name" is empty'),
  memberNameTooLong: refusal("bad_request", '"name" is longer than {max} characters'),
  roleTooLong: refusal("bad_request", '"role" is longer than {max} characters'),
  /** `name` is quoted as JSON, so that an odd name shows where it starts and ends. */
  notOnRoster: refusal("bad_request", "{name} is not on the roster"),
  onRosterAlready: refusal("bad_request", "{name} is on the roster already"),
  rosterFull: refusal("bad_request", "the roster holds at most {max} members"),
  positionOutOfRange: refusal("bad_request", '"to" must be a position from 0 to {last}'),
  badRoomName: refusal("bad_room_name", "{problem}"),
  roomsFull: refusal("rooms_full", "the server holds its maximum of {max} rooms; try again later", 60),
  roomsPerClient: refusal("rooms_per_client", "too many new rooms from your address; at most {perHour} an hour"),
  roomUnreadable: refusal("storage_unavailable", "The room could not be read; try again.", STORAGE_RETRY_SECONDS),
  statsUnreadable: refusal("storage_unavailable", "The statistics could not be read; try again.", STORAGE_RETRY_SECONDS),
  notStored: refusal("storage_unavailable", "The change could not be stored and was not made; try again.", STORAGE_RETRY_SECONDS),
} as const;
