// Errors of the room core, as values with a stable code. The core knows no transport: the
// HTTP layer (and any other way in) maps each code to its own answer.

export type DomainErrorCode =
  /** The command itself is wrong: a name too long, an empty goal. */
  | "bad_request"
  | "bad_room_name"
  /** The server holds as many rooms as it may; existing rooms go on. */
  | "rooms_full"
  /** One client created as many new rooms as it may for now. */
  | "rooms_per_client"
  /** One client made as many changes as it may for now. */
  | "write_rate"
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
