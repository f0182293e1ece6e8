// Budgets of a caller, behind one interface: a token taken per key (a client address, a
// room) and, for what is held rather than spent (open streams), a slot given back. Kept in
// this process's memory, or, for the budgets several instances must share, in the shared
// store through its one capability for it (Store.takeToken): the store knows buckets, not
// budgets, callers or routes.
import { retrySeconds, TokenBuckets } from "../base/token-buckets.ts";
import type { Store } from "../store/store.ts";

export interface Budget {
  /** Takes one for `key` at `now`: null when there was one, else the seconds until there will be. */
  take(key: string, now: number): number | null | Promise<number | null>;
  /** Gives back what take() took for `key`: a slot of something held. A bucket refills by itself and ignores it. */
  giveBack(key: string): void;
  /** Forgets keys whose budget is whole again (a store that expires them itself does nothing). */
  prune(now: number): void;
}

/** Token buckets in this process: what one instance alone, or a limit per instance, counts. */
export class LocalBudget extends TokenBuckets implements Budget {
  giveBack(): void {}
}

/** The store's capability to take a token from a bucket it keeps for every instance. */
export type TakeToken = NonNullable<Store["takeToken"]>;

/**
 * Token buckets in a store several instances share (Redis): one client's budget holds for
 * the service, however many instances its requests reach. Rejects when the store cannot answer.
 */
export class SharedBudget implements Budget {
  constructor(
    private readonly takeToken: TakeToken,
    /** Which budget, in the store's key names ("writes"). */
    private readonly name: string,
    private readonly capacity: number,
    private readonly windowMs: number,
  ) {}

  async take(key: string, now: number): Promise<number | null> {
    const tokens = await this.takeToken(this.name, key, this.capacity, this.windowMs, now);
    return tokens >= 1 ? null : retrySeconds(tokens, this.capacity, this.windowMs);
  }

  giveBack(): void {}

  prune(): void {}
}

/** The budget `name` shared through `store` when it is shared, else in this process. */
export function sharedWhereStored(store: Store, name: string, capacity: number, windowMs: number): LocalBudget | SharedBudget {
  const { takeToken } = store;
  if (takeToken === undefined) return new LocalBudget(capacity, windowMs);
  return new SharedBudget(takeToken.bind(store), name, capacity, windowMs);
}

/** Seconds a client refused a slot waits before it tries again. */
const SLOT_RETRY_SECONDS = 10;

/** At most `perKey` slots held at once per key (streams open from one address), given back one by one. */
export class Slots implements Budget {
  private readonly held = new Map<string, number>();

  constructor(readonly perKey: number) {}

  take(key: string): number | null {
    const mine = this.held.get(key) ?? 0;
    if (mine >= this.perKey) return SLOT_RETRY_SECONDS;
    this.held.set(key, mine + 1);
    return null;
  }

  giveBack(key: string): void {
    const left = (this.held.get(key) ?? 1) - 1;
    if (left === 0) this.held.delete(key);
    else this.held.set(key, left);
  }

  /** A slot is kept until given back, whatever the time. */
  prune(): void {}
}
