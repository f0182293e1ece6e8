// Limits that keep one client from using up the server: token buckets of requests per
// client address, and caps on open event streams, in total and per address.
import { RateLimiter } from "../rate.ts";
import { HTTP_ERRORS, type HttpError } from "./errors.ts";

/**
 * Requests of one kind per address: `perMinute` as a burst or spread (see RateLimiter);
 * beyond, 429 with the seconds until the next one.
 */
export class RequestLimiter {
  private readonly rate: RateLimiter;

  /** `refused` is the limit's entry of the catalog: its code names the limit in metrics. */
  constructor(
    private readonly perMinute: number,
    private readonly refused: { with(values: { perMinute: number; retryAfter: number }): HttpError },
  ) {
    this.rate = new RateLimiter(perMinute, 60_000);
  }

  /** Takes one request or throws 429 with the seconds until the next one. */
  take(address: string, now: number): void {
    const retry = this.rate.take(address, now);
    if (retry === null) return;
    throw this.refused.with({ perMinute: this.perMinute, retryAfter: retry });
  }

  /** Forgets addresses whose bucket is full again. */
  prune(now: number): void {
    this.rate.prune(now);
  }
}

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
      throw HTTP_ERRORS.streamsPerClient.with({ max: this.perAddress });
    }
    if (this.open >= this.total) {
      throw HTTP_ERRORS.streamsTotal.with({ max: this.total });
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
