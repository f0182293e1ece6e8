// Which budget a request spends, per client address: changes, reads, or event-stream opens.
// Reads are limited at a rate no person or page reaches, so that nobody can probe room names
// by the thousand; a stream's opens are limited apart from the reads, so that a page that
// reconnects keeps working while a client re-opening a stream in a loop is stopped.
import type { Config } from "../config.ts";
import type { Later } from "../later.ts";
import { tokenBuckets } from "../rate.ts";
import type { Store } from "../store/store.ts";
import { RequestLimiter } from "./limits.ts";

const WRITE_METHODS = new Set(["PUT", "POST", "DELETE"]);
const STREAM_ROUTES = new Set(["/events", "/:room/events"]);
/** Assets are loaded with every page and reveal nothing about rooms. */
const FREE_ROUTES = new Set(["/assets/:file"]);

export class RequestRates {
  private readonly writes: RequestLimiter;
  private readonly reads: RequestLimiter;
  private readonly streamOpens: RequestLimiter;

  /**
   * Changes are counted in a store several instances share, so that a client's budget
   * holds for the service; reads and stream opens, far more frequent, per instance.
   */
  constructor(config: Config, store: Store) {
    this.writes = new RequestLimiter(config.writesPerMinute, "write_rate", "changes", tokenBuckets(store, "writes", config.writesPerMinute, 60_000));
    this.reads = new RequestLimiter(config.readsPerMinute, "read_rate", "reads");
    this.streamOpens = new RequestLimiter(config.streamOpensPerMinute, "stream_opens", "event streams opened");
  }

  /** Takes one token from the budget of the route's kind, or throws 429 (a shared budget may answer later). */
  take(method: string, route: string, address: string, now: number): Later<void> {
    if (WRITE_METHODS.has(method)) return this.writes.take(address, now);
    else if (STREAM_ROUTES.has(route)) this.streamOpens.take(address, now);
    else if (!FREE_ROUTES.has(route)) this.reads.take(address, now);
  }

  /** Forgets addresses whose buckets are full again. */
  prune(now: number): void {
    this.writes.prune(now);
    this.reads.prune(now);
    this.streamOpens.prune(now);
  }
}
