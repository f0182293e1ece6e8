// Refusals a client can repeat as fast as it can send (wrong passwords, rate limits, forged
// hosts) are logged as at most one line per address per minute: the first one in full,
// then a count. A flood of requests must not become a flood of lines on the operator's disk.
import type { LogFields, Logger } from "../base/log.ts";

const WINDOW_MS = 60_000;

interface Window {
  startedAt: number;
  /** Refusals since the window's line, by reason. */
  counts: Map<string, number>;
}

export class RefusalLog {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly logger: Logger) {}

  /** `fields` are asked for only when the refusal is written out in full: most are only counted. */
  note(address: string, reason: string, fields: () => LogFields, now: number): void {
    const window = this.windows.get(address);
    if (window === undefined) {
      this.logger.log("warn", "request rejected", { ...fields(), repeats: "counted once a minute" });
      this.windows.set(address, { startedAt: now, counts: new Map() });
      return;
    }
    window.counts.set(reason, (window.counts.get(reason) ?? 0) + 1);
    if (now - window.startedAt >= WINDOW_MS) this.summarize(address, window, now);
  }

  /** Writes the counts of windows that have lasted a minute; forgets addresses that went quiet. */
  flush(now: number): void {
    for (const [address, window] of this.windows) {
      if (now - window.startedAt < WINDOW_MS) continue;
      if (window.counts.size === 0) this.windows.delete(address);
      else this.summarize(address, window, now);
    }
  }

  private summarize(address: string, window: Window, now: number): void {
    let count = 0;
    const reasons: string[] = [];
    for (const [reason, n] of window.counts) {
      count += n;
      reasons.push(`${reason}:${n}`);
    }
    const seconds = Math.round((now - window.startedAt) / 1000);
    this.logger.log("warn", "requests rejected", { client: address, count, seconds, reasons: reasons.join(",") });
    window.startedAt = now;
    window.counts.clear();
  }
}
