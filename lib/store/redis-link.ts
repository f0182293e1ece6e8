// One connection to Redis, kept open: connected anew, with backoff, whenever it closes.
//
// Bun's own reconnect is not used (autoReconnect: false): its first connect to a Redis that
// is down retries for about 30 s before failing, its offline queue would hold commands
// through the reconnect tries, and after a reconnect a subscribed client stays deaf without
// saying so (onclose does not fire). A fresh client per connection has none of that: while
// there is none, a call fails at once, and a subscriber subscribes on every new connection.
import { handshakeFailure, type RedisTls } from "./redis-tls.ts";

/** First wait before connecting again; doubled after each failed try, up to the cap. */
const BACKOFF_FIRST_MS = 100;
const BACKOFF_MAX_MS = 2000;
/** A connect that takes longer (a host that drops packets) counts as failed. */
const CONNECT_TIMEOUT_MS = 2000;

export interface LinkEvents {
  /** Runs on each new connection before it is used (the subscriber subscribes); throwing drops it. */
  opened?(client: Bun.RedisClient): Promise<void>;
  /** A new connection is usable. */
  up(): void;
  /** The connection was lost, or a try to make it failed while it was down. */
  down(error: Error, wasUp: boolean): void;
}

export class RedisLink {
  private current: Bun.RedisClient | null = null;
  private closed = false;
  private backoff = BACKOFF_FIRST_MS;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private lastFailure = "not connected yet";

  /** `tls`: for a rediss:// Redis, what to trust and which client certificate to show, when not Bun's defaults. */
  constructor(
    private readonly url: string,
    private readonly events: LinkEvents,
    private readonly tls?: RedisTls,
  ) {}

  /** The open connection, or null while there is none. */
  get client(): Bun.RedisClient | null {
    return this.current;
  }

  /** Why the last connection was lost or the last try failed, for messages while there is none. */
  get failure(): string {
    return this.lastFailure;
  }

  /** Makes the first try; resolves once it has succeeded or failed (then tries go on in the background). */
  start(): Promise<void> {
    return this.connect();
  }

  private async connect(): Promise<void> {
    this.retry = null;
    if (this.closed) return;
    const client = new Bun.RedisClient(this.url, {
      autoReconnect: false,
      enableOfflineQueue: false,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      ...(this.tls === undefined ? {} : { tls: this.tls }),
    });
    let failure: Error | null = null;
    client.onclose = (error) => this.lost(client, error);
    try {
      await client.connect();
      await this.events.opened?.(client);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    if (this.closed) {
      client.close();
      return;
    }
    if (failure !== null || !client.connected) {
      client.onclose = null;
      client.close();
      const reason = await this.explained(failure ?? new Error("connection closed while opening"));
      if (this.closed) return;
      this.lastFailure = reason.message;
      this.events.down(reason, false);
      this.again();
      return;
    }
    this.current = client;
    this.backoff = BACKOFF_FIRST_MS;
    this.events.up();
  }

  private lost(client: Bun.RedisClient, error: Error | undefined): void {
    if (client !== this.current) return;
    this.current = null;
    if (this.closed) return;
    const reason = error ?? new Error("connection closed");
    this.lastFailure = reason.message;
    this.events.down(reason, true);
    this.again();
  }

  /** Bun says only "Connection closed" when TLS fails (an untrusted certificate, a refused client certificate): a handshake of its own says why. */
  private async explained(error: Error): Promise<Error> {
    if (new URL(this.url).protocol !== "rediss:" || (error as Error & { code?: string }).code !== "ERR_REDIS_CONNECTION_CLOSED") return error;
    const reason = await handshakeFailure(this.url, this.tls);
    return reason === null ? error : new Error(reason, { cause: error });
  }

  private again(): void {
    if (this.closed || this.retry !== null) return;
    this.retry = setTimeout(() => void this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
  }

  close(): void {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    const client = this.current;
    this.current = null;
    if (client) {
      client.onclose = null;
      client.close();
    }
  }
}
