// Delivers webhooks off the request path: a bounded queue, a few calls at a time, each with
// a timeout, tried again with backoff after 5xx, 429, a timeout or a network error, up to a
// stated number of tries; a per-room rate, and one log line for each delivery that gives up.
// Stopping drops what waits and aborts calls under way, so a stop is never held up by a
// slow receiver (a change's hooks are not worth a slower restart).
import type { Clock } from "../base/clock.ts";
import type { Target } from "../domain/settings.ts";
import type { Logger } from "../base/log.ts";
import { TokenBuckets } from "../base/token-buckets.ts";
import { hookRequest } from "./formats.ts";
import type { Notice } from "./notices.ts";
import { parseTarget, resolveHost, targetProblem, type Resolve, type TargetRules } from "./targets.ts";

/** The delivery policy, one block: each row is a setting (see lib/config.ts). */
export interface DeliveryPolicy {
  timeoutMs: number;
  /** Tries of one delivery, the first included. */
  attempts: number;
  /** Before the first retry; doubled for each further one. */
  backoffMs: number;
  perRoomPerMinute: number;
  /** Deliveries waiting or under way at most. */
  queue: number;
}

/** Calls under way at once: enough for a busy server, few enough not to flood a receiver. */
const PARALLEL_CALLS = 8;
/** A receiver's Retry-After is honoured up to this, so a delivery still ends in minutes. */
const MAX_RETRY_AFTER_MS = 60_000;

export interface Delivery {
  room: string;
  /** A room's hook, or a member's own target. */
  hook: Target;
  notice: Notice;
}

export type Outcome = { ok: true; status: number } | { ok: false; error: string };

/** One try's result: retry says whether trying again may help. */
type Attempted = Outcome & { retry?: boolean; waitMs?: number };

interface Queued extends Delivery {
  attempt: number;
}

export interface SenderParts {
  policy: DeliveryPolicy;
  rules: TargetRules;
  clock: Clock;
  logger: Logger;
  /** The room page's public URL, for links in messages; null when the server does not know it. */
  roomUrl: (room: string) => string | null;
  /** Told once of every delivery that arrived or gave up (not of those dropped or stopped). */
  settled: (delivery: Delivery, outcome: Outcome) => void;
  resolve?: Resolve;
}

function retryAfterMs(res: Response): number {
  const seconds = Number(res.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : 0;
}

export class HookSender {
  private readonly waiting: Queued[] = [];
  /** Deliveries under way or waiting for their next try. */
  private busy = 0;
  private running = 0;
  private readonly calls = new Set<AbortController>();
  private readonly retries = new Set<ReturnType<typeof setTimeout>>();
  private readonly rates: TokenBuckets;
  private closed = false;

  constructor(private readonly parts: SenderParts) {
    this.rates = new TokenBuckets(parts.policy.perRoomPerMinute, 60_000);
  }

  /** Why the room may not send now, or null when it may (a token taken). */
  private overRate(room: string): string | null {
    if (this.rates.take(room, this.parts.clock.now()) === null) return null;
    return `the room sends more than ${this.parts.policy.perRoomPerMinute} a minute`;
  }

  /** Queues a delivery; drops it, with a log line, when the room or the queue is over its limit. */
  enqueue(delivery: Delivery): void {
    if (this.closed) return;
    const { policy } = this.parts;
    const overRate = this.overRate(delivery.room);
    if (overRate) return this.dropped(delivery, overRate);
    if (this.waiting.length + this.busy >= policy.queue) return this.dropped(delivery, `${policy.queue} deliveries are waiting already`);
    this.waiting.push({ ...delivery, attempt: 1 });
    this.pump();
  }

  /** One try, now, outside the queue (within the room's rate): a team trying its hook out. */
  async send(room: string, hook: Target, notice: Notice): Promise<Outcome> {
    const overRate = this.overRate(room);
    if (overRate) return { ok: false, error: overRate };
    const { retry: _retry, waitMs: _wait, ...outcome } = await this.attempt(hook, notice);
    return outcome;
  }

  /** Drops what waits and aborts calls under way. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    for (const call of this.calls) call.abort();
  }

  /** Forgets the rates of rooms that have sent nothing for a while (called by the sweep). */
  prune(now: number): void {
    this.rates.prune(now);
  }

  private dropped(delivery: Delivery, why: string): void {
    this.parts.logger.log("warn", "webhook dropped", { room: delivery.room, hook: delivery.hook.id, event: delivery.notice.event, reason: why });
  }

  private pump(): void {
    while (this.running < PARALLEL_CALLS && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.running++;
      this.busy++;
      void this.attempt(next.hook, next.notice).then((result) => {
        this.running--;
        this.busy--;
        if (!this.closed) this.after(next, result);
        this.pump();
      });
    }
  }

  /** What follows a try: done, or another try after the backoff. */
  private after(queued: Queued, result: Attempted): void {
    const { policy, logger, settled } = this.parts;
    if (!result.ok && result.retry && queued.attempt < policy.attempts) {
      const wait = Math.max(policy.backoffMs * 2 ** (queued.attempt - 1), result.waitMs ?? 0);
      this.busy++;
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        this.busy--;
        this.waiting.push({ ...queued, attempt: queued.attempt + 1 });
        this.pump();
      }, wait);
      this.retries.add(timer);
      return;
    }
    const { room, hook, notice } = queued;
    const outcome: Outcome = result.ok ? { ok: true, status: result.status } : { ok: false, error: result.error };
    if (!outcome.ok) {
      const host = URL.canParse(hook.url) ? new URL(hook.url).host : "";
      logger.log("warn", "webhook failed", { room, hook: hook.id, format: hook.format, host, event: notice.event, attempts: queued.attempt, error: outcome.error });
    }
    settled({ room, hook, notice }, outcome);
  }

  private async attempt(hook: Target, notice: Notice): Promise<Attempted> {
    const { policy, rules, clock, roomUrl } = this.parts;
    const url = parseTarget(hook.url);
    if (typeof url === "string") return { ok: false, error: url };
    const problem = await targetProblem(url, rules, this.parts.resolve ?? resolveHost);
    if (problem) return { ok: false, error: problem };
    const { body, headers } = hookRequest(hook, notice, roomUrl(notice.room), clock.now());
    const call = new AbortController();
    this.calls.add(call);
    const timeout = setTimeout(() => call.abort(new Error("timeout")), policy.timeoutMs);
    try {
      // A redirect is not followed: it could lead to an address the checks above refuse.
      const res = await fetch(url, { method: "POST", body, headers: { "User-Agent": "mob-timer", ...headers }, redirect: "manual", signal: call.signal });
      await res.body?.cancel();
      if (res.ok) return { ok: true, status: res.status };
      const retry = res.status === 429 || res.status >= 500;
      return { ok: false, error: `answered ${res.status}`, retry, waitMs: retryAfterMs(res) };
    } catch {
      const error = call.signal.aborted ? (this.closed ? "stopped" : `no answer within ${policy.timeoutMs / 1000} s`) : "could not connect";
      return { ok: false, error, retry: true };
    } finally {
      clearTimeout(timeout);
      this.calls.delete(call);
    }
  }
}
