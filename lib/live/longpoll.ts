// Long-poll, one transport of the fan-out: a request held until its room changes or its
// wait runs out. A waiter is a Listener (it counts and holds its room like an event
// stream); waits end on one shared wheel of one-second slots, never on a timer per waiter.
import type { Listener } from "./fanout.ts";

/** The longest a request is held; longer waits are cut to this, below the 60 s many proxies allow. */
export const MAX_WAIT_SECONDS = 55;

/** How a wait ended: the room changed, the wait ran out, the server is stopping, the client left. */
export type WaitEnd = "changed" | "timeout" | "closing" | "gone";

export class Waiter implements Listener {
  private ended = false;
  private readonly whenEnded: Promise<WaitEnd>;
  private resolve!: (end: WaitEnd) => void;

  constructor(readonly user: string | null = null) {
    this.whenEnded = new Promise((resolve) => (this.resolve = resolve));
  }

  /** Resolves once, with how the wait ended. */
  get done(): Promise<WaitEnd> {
    return this.whenEnded;
  }

  end(how: WaitEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.resolve(how);
  }

  deliver(): void {
    this.end("changed");
  }

  reset(): void {
    this.end("changed");
  }

  /** Who is here is part of a team room's answer: the wait ends with it, at the same number. */
  here(): void {
    this.end("changed");
  }

  /** A held request has nothing to send until it is answered. */
  heartbeat(): void {}

  close(): void {
    this.end("closing");
  }
}

const SLOT_MS = 1000;

/**
 * Deadlines of every waiter, by the second they fall in. One interval runs while anyone
 * waits and stops when nobody does; a wait ends within a second after its time.
 */
export class WaitWheel {
  private readonly slots = new Map<number, Set<Waiter>>();
  private timer: ReturnType<typeof setInterval> | undefined;

  get size(): number {
    let size = 0;
    for (const slot of this.slots.values()) size += slot.size;
    return size;
  }

  /** Ends `waiter` with "timeout" after `seconds`, unless removed first (call the returned function). */
  add(waiter: Waiter, seconds: number): () => void {
    const key = Math.ceil((performance.now() + seconds * 1000) / SLOT_MS);
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = new Set()));
    slot.add(waiter);
    this.timer ??= setInterval(() => this.tick(), SLOT_MS);
    const members = slot;
    return () => {
      members.delete(waiter);
      if (members.size === 0 && this.slots.get(key) === members) this.slots.delete(key);
      this.stopWhenIdle();
    };
  }

  private tick(): void {
    const now = performance.now() / SLOT_MS;
    for (const [key, slot] of this.slots) {
      if (key > now) continue;
      this.slots.delete(key);
      for (const waiter of slot) waiter.end("timeout");
    }
    this.stopWhenIdle();
  }

  private stopWhenIdle(): void {
    if (this.slots.size > 0 || this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops the wheel; the fan-out ends the waiters themselves. */
  close(): void {
    this.slots.clear();
    this.stopWhenIdle();
  }
}
