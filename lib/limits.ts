// Limits that keep one client from using up the server: token buckets of requests per
// client address, and caps on open event streams, in total and per address.
import { HttpError } from "./http.ts";

/**
 * Requests of one kind per address per minute. Each address has a bucket of `perMinute`
 * tokens refilled continuously, so a burst of a whole minute's worth is allowed and then
 * one request every 60/perMinute seconds.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `code` names the limit in metrics; `what` names the requests in the refusal ("changes"). */
  constructor(
    private readonly perMinute: number,
    private readonly code: string,
    private readonly what: string,
  ) {}

  /** Tokens in `bucket` at `now`, refilled since it was last touched. */
  private tokensAt(bucket: { tokens: number; at: number }, now: number): number {
    return Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
  }

  /** Takes one token or throws 429 with the seconds until the next one. */
  take(address: string, now: number): void {
    const tokens = this.tokensAt(this.buckets.get(address) ?? { tokens: this.perMinute, at: now }, now);
    if (tokens < 1) {
      this.buckets.set(address, { tokens, at: now });
      const retry = Math.ceil(((1 - tokens) * 60) / this.perMinute);
      throw new HttpError(429, this.code, `too many ${this.what} from your address; at most ${this.perMinute} a minute`, {
        "Retry-After": String(retry),
      });
    }
    this.buckets.set(address, { tokens: tokens - 1, at: now });
  }

  /** Forgets buckets that have refilled completely, so that the map holds only recent writers. */
  prune(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (this.tokensAt(bucket, now) >= this.perMinute) this.buckets.delete(address);
    }
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
