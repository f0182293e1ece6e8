// Password guessing is slowed down and then refused, per client address: a few wrong
// passwords are a typo; after `allowed` of them, each further one locks the address out for
// twice as long as the one before (1 s, 2 s, 4 s, … up to 15 minutes), and while it is
// locked out every request from it gets 429 without its password being looked at, so that
// an answer cannot tell a guess right from wrong.
import { HTTP_ERRORS } from "./errors.ts";

/** The longest lockout, and how long an address's wrong passwords are remembered. */
const LOCKOUT_MAX_MS = 15 * 60_000;

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

export class GuessLimiter {
  private readonly byAddress = new Map<string, Failures>();

  constructor(
    private readonly authenticate: (req: Request) => void,
    private readonly allowed: number,
  ) {}

  /** Throws 429 while the address is locked out, else 401 for wrong credentials (counted). */
  check(req: Request, address: string, now: number): void {
    let failures = this.byAddress.get(address);
    if (failures !== undefined && this.forgotten(failures, now)) {
      this.byAddress.delete(address);
      failures = undefined;
    }
    if (failures !== undefined && now < failures.lockedUntil) {
      const seconds = Math.ceil((failures.lockedUntil - now) / 1000);
      throw HTTP_ERRORS.authGuesses.with({ retryAfter: seconds });
    }
    try {
      this.authenticate(req);
    } catch (error) {
      // A browser's first request carries no credentials; only a wrong password is a guess.
      if (req.headers.has("authorization")) this.failed(address, failures?.count ?? 0, now);
      throw error;
    }
  }

  /** Forgets addresses that have not guessed for the longest lockout. */
  prune(now: number): void {
    for (const [address, failures] of this.byAddress) if (this.forgotten(failures, now)) this.byAddress.delete(address);
  }

  private failed(address: string, before: number, now: number): void {
    const count = before + 1;
    const over = count - this.allowed;
    const lockedUntil = over > 0 ? now + Math.min(LOCKOUT_MAX_MS, 1000 * 2 ** (over - 1)) : 0;
    this.byAddress.set(address, { count, lastAt: now, lockedUntil });
  }

  private forgotten(failures: Failures, now: number): boolean {
    return now >= failures.lockedUntil && now - failures.lastAt >= LOCKOUT_MAX_MS;
  }
}
