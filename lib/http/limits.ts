// Limits that keep one client from using up the server: a token bucket of write requests
// per client address, and caps on open event streams, in total and per address.
import { RateLimiter } from "../rate.ts";
import { HttpError } from "./errors.ts";

/**
 * Write requests per address: `perMinute` as a burst or spread (see RateLimiter).
 */
export class WriteLimiter {
  private readonly rate: RateLimiter;

  constructor(private readonly perMinute: number) {
    this.rate = new RateLimiter(perMinute, 60_000);
  }

  /** Takes one write or throws 429 with the seconds until the next one. */
  take(address: string, now: number): void {
    const retry = this.rate.take(address, now);
    if (retry === null) return;
    throw new HttpError(429, "write_rate", `too many changes from your address; at most ${this.perMinute} a minute`, {
      "Retry-After": String(retry),
    });
  }

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
      throw new HttpError(429, "streams_per_client", `too many open event streams from your address; at most ${this.perAddress}`, {
        "Retry-After": "10",
      });
    }
    if (this.open >= this.total) {
      throw new HttpError(429, "streams_total", `the server holds its maximum of ${this.total} event streams`, {
        "Retry-After": "10",
      });
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
