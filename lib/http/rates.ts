// Which budget a request spends, per client address: changes, reads, or event-stream opens.
// Reads are limited at a rate no person or page reaches, so that nobody can probe room names
// by the thousand; a stream's opens are limited apart from the reads, so that a page that
// reconnects keeps working while a client re-opening a stream in a loop is stopped. A held
// request (a long-poll's wait, a WebSocket) spends a stream open, like an event stream.
import type { Config } from "../config.ts";
import { HTTP_ERRORS } from "./errors.ts";
import { RequestLimiter } from "./limits.ts";

const WRITE_METHODS = new Set(["PUT", "POST", "DELETE"]);
const STREAM_ROUTES = new Set(["/events", "/:room/events", "/:room/ws"]);
/** Reads of this route that ask to wait for the next change are held like a stream. */
const LONG_POLL_ROUTE = "/api/rooms/:room";
/** Assets are loaded with every page and reveal nothing about rooms. */
const FREE_ROUTES = new Set(["/assets/:file"]);

export class RequestRates {
  private readonly writes: RequestLimiter;
  private readonly reads: RequestLimiter;
  private readonly streamOpens: RequestLimiter;

  /**
   * Every budget is counted here per instance, before any work. A store several instances
   * share also counts each stored change against the client's budget in the same write
   * (see ChangeBudget), so that the budget of changes holds for the service.
   */
  constructor(config: Config) {
    this.writes = new RequestLimiter(config.writesPerMinute, HTTP_ERRORS.writeRate);
    this.reads = new RequestLimiter(config.readsPerMinute, HTTP_ERRORS.readRate);
    this.streamOpens = new RequestLimiter(config.streamOpensPerMinute, HTTP_ERRORS.streamOpens);
  }

  /** Takes one token from the budget of the route's kind, or throws 429; `url` tells a long-poll from a read. */
  take(method: string, route: string, address: string, now: number, url = ""): void {
    if (WRITE_METHODS.has(method)) this.writes.take(address, now);
    else if (STREAM_ROUTES.has(route) || (route === LONG_POLL_ROUTE && isHeld(url))) this.streamOpens.take(address, now);
    else if (!FREE_ROUTES.has(route)) this.reads.take(address, now);
  }

  /** A change sent over a WebSocket: the budget of changes. */
  takeChange(address: string, now: number): void {
    this.writes.take(address, now);
  }

  /** Any other message over a WebSocket (a ping, a message that is no command): the budget of reads. */
  takeRead(address: string, now: number): void {
    this.reads.take(address, now);
  }

  /** Forgets addresses whose buckets are full again. */
  prune(now: number): void {
    this.writes.prune(now);
    this.reads.prune(now);
    this.streamOpens.prune(now);
  }
}

/** Whether a request's query asks to wait (`wait=`). */
function isHeld(url: string): boolean {
  const query = url.indexOf("?");
  return query !== -1 && /[?&]wait=/.test(url.slice(query));
}
