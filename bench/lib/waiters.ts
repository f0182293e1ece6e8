// Many long-poll waiters in one process, each a raw TCP connection (Bun.connect) holding one
// `GET /api/rooms/<room>?since=<seq>&wait=55` until the server answers it.
import type { Socket } from "bun";

interface State {
  answered: boolean;
}

export class Waiters {
  private readonly sockets: Socket<State>[] = [];
  private pending = 0;
  private whenAllAnswered: (() => void) | null = null;
  /** Answers other than 200 (a 304 means a wait ran out before the change). */
  unexpected = 0;
  lastAnswerAt = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Opens `count` waiters on `room` at `seq`, at most `inFlight` connecting at once. */
  async hold(room: string, seq: number, count: number, inFlight = 200): Promise<void> {
    const request = `GET /api/rooms/${room}?since=${seq}&wait=55 HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n\r\n`;
    let next = 0;
    const worker = async () => {
      while (next++ < count) {
        const socket = await Bun.connect<State>({
          hostname: this.host,
          port: this.port,
          data: { answered: false },
          socket: {
            data: (s, bytes) => this.answer(s, bytes),
            close: (s) => {
              if (!s.data.answered) this.unexpected++;
            },
            error: () => {},
          },
        });
        socket.write(request);
        this.sockets.push(socket);
        this.pending++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  }

  private answer(socket: Socket<State>, bytes: Buffer): void {
    if (socket.data.answered) return;
    socket.data.answered = true;
    if (!bytes.toString("latin1", 0, 12).startsWith("HTTP/1.1 200")) this.unexpected++;
    this.lastAnswerAt = performance.now();
    if (--this.pending === 0) this.whenAllAnswered?.();
  }

  /** Resolves once every waiter has its answer, or after `timeoutMs` with those still waiting. */
  allAnswered(timeoutMs = 10_000): Promise<number> {
    if (this.pending === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.pending), timeoutMs);
      this.whenAllAnswered = () => {
        clearTimeout(timer);
        resolve(0);
      };
    });
  }

  close(): void {
    for (const socket of this.sockets) socket.end();
    this.sockets.length = 0;
  }
}
