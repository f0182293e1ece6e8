// `mob-timer watch`: follows a room until Ctrl-C. On a terminal one line is rewritten every
// second from the end time the server gave (carriage return, clear line); elsewhere (a pipe,
// a log) a line is printed per change. A server out of reach is tried again with backoff, and
// the line says so; a refusal that asking again cannot change ends it with one line.
import type { Clock } from "../base/clock.ts";
import type { ClientOptions } from "./client-options.ts";
import { followRoom, readRoom, Refused, Unreachable } from "./room-api.ts";
import { phaseAt, snapshotOf, type RoomSnapshot } from "./room-snapshot.ts";
import { fit, logLine, timeUpLine, watchLine } from "./timer-line.ts";

export interface Output {
  write(text: string): void;
  /** A terminal: one line rewritten in place; otherwise a line per event. */
  isTTY: boolean;
  columns(): number;
}

/** A server that takes longer to answer a read is treated as out of reach, and tried again. */
const READ_TIMEOUT_MS = 10_000;
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30_000;

const CLEAR_LINE = "\r\x1b[2K";
const HIDE_CURSOR = "\x1b[?25l";
export const SHOW_CURSOR = "\x1b[?25h";
const BELL = "\x07";

/** A timer told apart from the next one, even of the same length by the same user. */
function timerKey(snapshot: RoomSnapshot): string | null {
  return snapshot.current && `${snapshot.current.type} ${snapshot.current.requested}`;
}

export class Watch {
  private snapshot: RoomSnapshot | null = null;
  /** Printed with the room's line: connecting, or when the next try comes. */
  private trouble: { text: string; until: number } | null = null;
  /** The timer seen running whose end is still to be announced. */
  private running: string | null = null;
  private retryMs = FIRST_RETRY_MS;
  private unfollow: (() => void) | null = null;
  private ticking: ReturnType<typeof setTimeout> | undefined;
  private retrying: ReturnType<typeof setTimeout> | undefined;
  private reading = false;
  private readAgain = false;
  private lastPrinted = "";
  private stopped = false;
  private finish: (code: number) => void = () => {};
  readonly done: Promise<number>;

  constructor(
    private readonly options: ClientOptions,
    private readonly out: Output,
    private readonly clock: Clock,
    private readonly fail: (message: string) => void,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  start(): void {
    const as = this.options.user ? ` as ${this.options.user}` : "";
    this.say(`watching room ${this.options.room} on ${this.options.server.href}${as}${this.out.isTTY ? " (Ctrl-C to stop)" : ""}`);
    if (this.out.isTTY) this.out.write(HIDE_CURSOR);
    this.trouble = { text: "connecting", until: 0 };
    this.tick();
    void this.connect();
  }

  /** Ctrl-C or SIGTERM: the terminal as it was, the line ended. */
  stop(code = 0): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unfollow?.();
    clearTimeout(this.ticking);
    clearTimeout(this.retrying);
    // A refusal cleared the line for its message on stderr: no empty line after it.
    if (this.out.isTTY) this.out.write(code === 0 ? `${SHOW_CURSOR}\n` : SHOW_CURSOR);
    this.finish(code);
  }

  private async connect(): Promise<void> {
    this.trouble = this.trouble && { text: "connecting", until: 0 };
    this.render();
    try {
      const data = await readRoom(this.options, AbortSignal.timeout(READ_TIMEOUT_MS));
      if (this.stopped) return;
      this.unfollow = followRoom(this.options, data.seq, { changed: () => void this.read(), lost: (reason) => this.retry(reason) });
      if (this.trouble && !this.out.isTTY && this.snapshot) this.say("connected again");
      this.trouble = null;
      this.retryMs = FIRST_RETRY_MS;
      this.show(snapshotOf(data));
    } catch (error) {
      this.failed(error);
    }
  }

  /** Reads the room after word of a change, once more when more word came meanwhile. */
  private async read(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const data = await readRoom(this.options, AbortSignal.timeout(READ_TIMEOUT_MS));
        if (this.stopped || this.unfollow === null) return;
        this.show(snapshotOf(data));
      } while (this.readAgain);
    } catch (error) {
      this.failed(error);
    } finally {
      this.reading = false;
    }
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    if (error instanceof Refused) {
      if (this.out.isTTY) this.out.write(CLEAR_LINE);
      this.fail(error.message);
      this.stop(1);
      return;
    }
    if (!(error instanceof Unreachable)) throw error;
    this.retry(error.message, error.retryAfterMs);
  }

  /** Tries again after 1 s, doubling up to 30 s (or when the server said to). */
  private retry(reason: string, retryAfterMs: number | null = null): void {
    if (this.stopped) return;
    this.unfollow?.();
    this.unfollow = null;
    const wait = Math.max(this.retryMs, retryAfterMs ?? 0);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
    this.trouble = { text: reason, until: this.clock.now() + wait };
    if (!this.out.isTTY) this.say(`${reason}; reconnecting in ${Math.ceil(wait / 1000)} s`);
    clearTimeout(this.retrying);
    this.retrying = setTimeout(() => void this.connect(), wait);
    this.render();
  }

  private show(snapshot: RoomSnapshot): void {
    const now = this.clock.now();
    const key = timerKey(snapshot);
    if (phaseAt(snapshot, now).kind === "running") this.running = key;
    else if (this.running !== key) this.running = null;
    this.snapshot = snapshot;
    if (!this.out.isTTY) {
      // What the line says, not the room's number: a change it does not show (a webhook added) prints nothing.
      const printed = JSON.stringify([snapshot.current, snapshot.next, snapshot.goal, snapshot.seq === 0]);
      if (printed !== this.lastPrinted) this.say(watchLine(snapshot, now, this.options.user));
      this.lastPrinted = printed;
    }
    this.tick();
  }

  /** Announces an end, redraws, and comes back at the next whole second of the time left. */
  private tick(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const snapshot = this.snapshot;
    if (snapshot && this.running !== null && this.running === timerKey(snapshot) && phaseAt(snapshot, now).kind !== "running") {
      this.running = null;
      const bell = this.out.isTTY && this.options.bell ? BELL : "";
      this.say(`${timeUpLine(snapshot, this.options.user)}${bell}`);
    }
    this.render();
    clearTimeout(this.ticking);
    const end = snapshot?.current?.endsAt ?? now;
    const wait = (((end - now) % 1000) + 1000) % 1000 || 1000;
    this.ticking = setTimeout(() => this.tick(), wait + 5);
  }

  private render(): void {
    if (!this.out.isTTY || this.stopped) return;
    const now = this.clock.now();
    const parts: string[] = [];
    if (this.trouble) {
      const seconds = Math.ceil((this.trouble.until - now) / 1000);
      parts.push(seconds > 0 ? `reconnecting in ${seconds} s (${this.trouble.text})` : `${this.trouble.text}…`);
    }
    if (this.snapshot) parts.push(watchLine(this.snapshot, now, this.options.user));
    this.out.write(CLEAR_LINE + fit(parts.join(" · "), Math.max(10, this.out.columns() - 1)));
  }

  /** A line of its own: on a terminal above the room's line, elsewhere with the time. */
  private say(text: string): void {
    if (this.out.isTTY) this.out.write(`${CLEAR_LINE}${text}\n`);
    else this.out.write(`${logLine(this.clock.now(), text)}\n`);
  }
}
