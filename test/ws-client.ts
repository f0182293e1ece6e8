// A WebSocket client for the tests, on Bun's own WebSocket: every message kept, and waits
// for the next one that fits.
import type { TestServer } from "./helpers.ts";

export interface Message {
  event?: string;
  id?: number | null;
  data?: unknown;
  ref?: unknown;
  ok?: boolean;
  error?: string;
}

/** A socket that keeps every message, and waits for the next one that fits. */
export class Client implements AsyncDisposable {
  readonly received: Message[] = [];
  private consumed = 0;
  closed: { code: number; reason: string } | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.onmessage = (e) => this.received.push(JSON.parse(String(e.data)));
    ws.onclose = (e) => (this.closed = { code: e.code, reason: e.reason });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<Client> {
    const ws = new WebSocket(url, { headers } as unknown as string[]);
    const client = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("socket did not open"));
    });
    return client;
  }

  async next(fits: (m: Message) => boolean = () => true, timeoutMs = 2000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.consumed < this.received.length) {
        const message = this.received[this.consumed++]!;
        if (fits(message)) return message;
      }
      if (Date.now() > deadline) throw new Error(`no fitting message within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await Bun.sleep(5);
    }
  }

  /** The three opening events, as an event stream sends them. */
  async opening(): Promise<Message[]> {
    return [await this.next(), await this.next(), await this.next()];
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.ws.close();
  }
}

export const wsUrl = (s: TestServer, path: string) => `${s.url.replace("http", "ws")}${path}`;
