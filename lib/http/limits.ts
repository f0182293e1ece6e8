// Limits that keep one client from using up the server: token buckets of requests per
// client address, and caps on open event streams, in total and per address.
import { RateLimiter } from "../rate.ts";
import { HttpError } from "./errors.ts";

/**
 * Requests of one kind per address: `perMinute` as a burst or spread (see RateLimiter);
 * beyond, 429 with the seconds until the next one.
 */
export class RequestLimiter {
  private readonly rate: RateLimiter;

  /** `code` names the limit in metrics; `what` names the requests in the refusal ("changes"). */
  constructor(
    private readonly perMinute: number,
    private readonly code: string,
    private readonly what: string,
  ) {
    this.rate = new RateLimiter(perMinute, 60_000);
  }

  /** Takes one request or throws 429 with the seconds until the next one. */
  take(address: string, now: number): void {
    const retry = this.rate.take(address, now);
    if (retry === null) return;
    throw new HttpError(429, this.code, `too many ${this.what} from your address; at most ${this.perMinute} a minute`, {
      "Retry-After": String(retry),
    });
  }

  /** Forgets addresses whose bucket is full again. */
  prune(now: number): void {
    this.rate.prune(now);
  }
}

/**
 * A refused stream's connection is closed: a client that kept it open would hold a file
 * descriptor, and the total limit exists to keep descriptors free.
 */
const REFUSED_STREAM = { "Retry-After": "10", Connection: "close" };

/** Open event streams: at most `total`, and at most `perAddress` from one address. */
export class StreamLimiter {
  private readonly byAddress = new Map<string, number>();
  private open = 0;

  constructor(
    private readonly total: number,
    private readonly perAddress: number,
  ) {}

  /** Counts a new stream or throws 429; the returned function releases it, once. */
  acquire(address: string): () => void {
    const mine = this.byAddress.get(address) ?? 0;
    if (mine >= this.perAddress) {
      throw new HttpError(429, "streams_per_client", `too many open event streams from your address; at most ${this.perAddress}`, REFUSED_STREAM);
    }
    if (this.open >= this.total) {
      throw new HttpError(429, "streams_total", `the server holds its maximum of ${this.total} event streams`, REFUSED_STREAM);
    }
    this.byAddress.set(address, mine + 1);
    this.open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
    };
  }
}
