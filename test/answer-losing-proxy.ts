// A TCP proxy in front of a real redis-server that can lose one answer: the command that
// carries a given text reaches Redis and is carried out, and its answer never arrives: the
// connection is cut a moment later, as a network that fails between an instance and Redis.

export interface AnswerLosingProxy extends Disposable {
  /** redis:// URL of the proxy. */
  url: string;
  /** The next command whose bytes hold `text` is carried out, and its answer lost. */
  loseAnswerTo(text: string): void;
}

/** How long the lost answer is held before the connection is cut. */
const HOLD_MS = 200;

/** RESP's first byte of an error reply, "-". */
const ERROR_REPLY = 0x2d;

interface Pair {
  upstream: Bun.Socket<undefined> | null;
  /** What the client sent before the connection to Redis was open. */
  pending: Uint8Array[];
  /** Set once the command to lose the answer of went through this connection. */
  doomed: boolean;
}

export function answerLosingProxy(redisUrl: string): AnswerLosingProxy {
  const target = new URL(redisUrl);
  let armed: string | null = null;
  const proxy = Bun.listen<Pair>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        client.data = { upstream: null, pending: [], doomed: false };
        void Bun.connect({
          hostname: target.hostname,
          port: Number(target.port),
          socket: {
            open(upstream) {
              client.data.upstream = upstream;
              for (const chunk of client.data.pending) upstream.write(chunk);
              client.data.pending = [];
            },
            data(upstream, chunk) {
              // An error carried nothing out: NOSCRIPT, say, after which the script is sent whole.
              if (!client.data.doomed || chunk[0] === ERROR_REPLY) return void client.write(chunk);
              // Held a while first, as on a network that fails slowly: the other connections'
              // messages (the feed's) arrive before the instance knows the answer is lost.
              setTimeout(() => {
                client.end();
                upstream.end();
              }, HOLD_MS);
            },
            close: () => void client.end(),
          },
        });
      },
      data(client, chunk) {
        if (armed !== null && Buffer.from(chunk).includes(armed)) {
          client.data.doomed = true;
          armed = null;
        }
        if (client.data.upstream) client.data.upstream.write(chunk);
        else client.data.pending.push(new Uint8Array(chunk));
      },
      close: (client) => void client.data.upstream?.end(),
    },
  });
  return {
    url: `redis://127.0.0.1:${proxy.port}${target.pathname}`,
    loseAnswerTo: (text) => void (armed = text),
    [Symbol.dispose]: () => proxy.stop(true),
  };
}
