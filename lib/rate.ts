// A token bucket per key (a client address): `capacity` tokens refilled continuously over
// `windowMs`, so a burst of a whole window's worth is allowed and then one every
// windowMs/capacity. Every per-address rate in the server is one of these: in this
// process's memory, or, for the budgets several instances must share, in the shared store.
import type { Store } from "./store/store.ts";

/** Token buckets per key, wherever they are kept. */
export interface TokenBuckets {
  /** Takes a token for `key`: null when it had one, else the seconds until it will. */
  take(key: string, now: number): Promise<number | null>;
  /** Forgets buckets that have refilled completely (a store that expires them itself does nothing). */
  prune(now: number): void;
}

/** Seconds until a bucket holding `tokens` (fewer than one) has one again. */
export function retrySeconds(tokens: number, capacity: number, windowMs: number): number {
  return Math.max(1, Math.ceil(((1 - tokens) * windowMs) / capacity / 1000));
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets in this process: what one instance alone, or a limit per instance, counts. */
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
      return retrySeconds(tokens, this.capacity, this.windowMs);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return null;
  }

  /** Forgets buckets that have refilled completely, so that the map holds only recent callers. */
  prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (this.tokensAt(bucket, now) >= this.capacity) this.buckets.delete(key);
  }
}

/**
 * Buckets in a store several instances share (Redis): one client's budget holds for the
 * service, however many instances its requests reach. Rejects when the store cannot answer.
 */
export class SharedRateLimiter implements TokenBuckets {
  constructor(
    private readonly store: Required<Pick<Store, "takeToken">>,
    /** Which budget, in the store's key names ("writes"). */
    private readonly name: string,
    readonly capacity: number,
    readonly windowMs: number,
  ) {}

  async take(key: string, now: number): Promise<number | null> {
    const tokens = await this.store.takeToken(this.name, key, this.capacity, this.windowMs, now);
    return tokens >= 1 ? null : retrySeconds(tokens, this.capacity, this.windowMs);
  }

  prune(): void {}
}

/** The budget `name` shared through `store` when it is shared, else in this process. */
export function tokenBuckets(store: Store, name: string, capacity: number, windowMs: number): TokenBuckets {
  const { takeToken } = store;
  if (takeToken === undefined) {
    const local = new RateLimiter(capacity, windowMs);
    return { take: async (key, now) => local.take(key, now), prune: (now) => local.prune(now) };
  }
  return new SharedRateLimiter({ takeToken: takeToken.bind(store) }, name, capacity, windowMs);
}
