// A token bucket per key (a client address, a room): `capacity` tokens refilled continuously
// over `windowMs`, so a burst of a whole window's worth is allowed and then one every
// windowMs/capacity. Every rate in the server is one of these, in this process's memory;
// the budgets several instances share keep the same bucket in the shared store (its
// takeToken, see lib/store/redis-scripts.ts), with the same arithmetic.

/** Seconds until a bucket holding `tokens` (fewer than one) has one again. */
export function retrySeconds(tokens: number, capacity: number, windowMs: number): number {
  return Math.max(1, Math.ceil(((1 - tokens) * windowMs) / capacity / 1000));
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
  ) {}

  /** Tokens in `bucket` at `now`, refilled since it was last touched. */
  private tokensAt(bucket: Bucket, now: number): number {
    return Math.min(this.capacity, bucket.tokens + ((now - bucket.at) * this.capacity) / this.windowMs);
  }

  /** Takes a token for `key`: null when it had one, else the seconds until it will. */
  take(key: string, now: number): number | null {
    const bucket = this.buckets.get(key);
    // A known key's bucket is updated in place: every request of a busy client comes here.
    if (bucket === undefined) {
      this.buckets.set(key, { tokens: this.capacity - 1, at: now });
      return null;
    }
    const tokens = this.tokensAt(bucket, now);
    bucket.at = now;
    if (tokens < 1) {
      bucket.tokens = tokens;
      return retrySeconds(tokens, this.capacity, this.windowMs);
    }
    bucket.tokens = tokens - 1;
    return null;
  }

  /** Forgets buckets that have refilled completely, so that the map holds only recent callers. */
  prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (this.tokensAt(bucket, now) >= this.capacity) this.buckets.delete(key);
  }
}
