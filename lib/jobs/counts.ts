// The counts the start page, its stream and health show: listeners of rooms and timers
// running. One instance counts its own. Instances sharing a store (Redis) each report their
// listeners there every COUNTS_SECONDS and add the others' last reports to their own, so
// the figures cover the service: its own listeners are current, the other instances' and
// the running timers at most one interval old.
import type { Clock } from "../base/clock.ts";
import type { SseChannel } from "../live/sse.ts";
import type { SharedCounts, Store } from "../store/store.ts";

export interface Counts {
  listeners: number;
  running: number;
}

/**
 * A report outlives this many intervals, so that one late report does not make an
 * instance's listeners blink out; an instance that is gone (killed, cut off) drops out
 * of the counts after that long.
 */
const REPORT_INTERVALS = 3;

export class ServiceCounts {
  private others: SharedCounts | null = null;
  private refreshing = false;

  constructor(
    private readonly local: () => Counts,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  current(): Counts {
    const local = this.local();
    if (this.others === null) return local;
    return { listeners: local.listeners + this.others.otherListeners, running: this.others.running };
  }

  /**
   * Reports this instance's listeners and learns the others'. While the shared store fails
   * the counts are this instance's own; a report still under way is not doubled.
   */
  async refresh(): Promise<void> {
    if (!this.store.shareCounts || this.refreshing) return;
    this.refreshing = true;
    try {
      this.others = await this.store.shareCounts(this.local().listeners, this.intervalMs * REPORT_INTERVALS, this.clock.now());
    } catch {
      this.others = null;
    } finally {
      this.refreshing = false;
    }
  }
}

/** Every interval: the counts refreshed, then sent to the start page's streams. */
export function countsJob(channel: SseChannel, counts: ServiceCounts, frames: () => string, intervalMs: number): () => void {
  let stopped = false;
  const timer = setInterval(() => {
    void counts.refresh().then(() => {
      if (!stopped) channel.broadcast(frames);
    });
  }, intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
