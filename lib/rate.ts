// A token bucket per key (a client address): `capacity` tokens refilled continuously over
// `windowMs`, so a burst of a whole window's worth is allowed and then one every
// windowMs/capacity. Every per-address rate in the server is one of these.

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
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
    const tokens = this.tokensAt(this.buckets.get(key) ?? { tokens: this.capacity, at: now }, now);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return Math.max(1, Math.ceil(((1 - tokens) * this.windowMs) / this.capacity / 1000));
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return null;
  }

  /** Forgets buckets that have refilled completely, so that the map holds only recent callers. */
  prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (this.tokensAt(bucket, now) >= this.capacity) this.buckets.delete(key);
  }
}
