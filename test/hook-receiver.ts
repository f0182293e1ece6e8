// A real HTTP receiver for webhook tests, on 127.0.0.1 and a free port: it records every
// request and answers with the statuses a test lines up (200 once they run out), or holds
// requests unanswered to play a receiver that hangs.
export interface Received {
  path: string;
  headers: Headers;
  body: string;
  /** Whether the sender has gone before the answer (a hung request it gave up on). */
  gone: () => boolean;
}

export interface HookReceiver extends AsyncDisposable {
  /** Base URL without a trailing slash. */
  url: string;
  received: Received[];
  /** Statuses for the next requests, in order. */
  answers: number[];
  /** While true, requests are recorded and never answered. */
  hang: boolean;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
}

export function startReceiver(): HookReceiver {
  const received: Received[] = [];
  let changed = () => {};
  const receiver: HookReceiver = {
    url: "",
    received,
    answers: [],
    hang: false,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${count} requests arrived within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          changed = resolve;
          setTimeout(resolve, 20);
        });
      }
      return received;
    },
    async [Symbol.asyncDispose]() {
      await server.stop(true);
    },
  };
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req, srv) {
      const signal = req.signal;
      received.push({ path: new URL(req.url).pathname, headers: req.headers, body: await req.text(), gone: () => signal.aborted });
      changed();
      if (receiver.hang) {
        srv.timeout(req, 0);
        return new Promise<Response>(() => {});
      }
      return new Response("ok", { status: receiver.answers.shift() ?? 200 });
    },
  });
  receiver.url = `http://127.0.0.1:${server.port}`;
  return receiver;
}
