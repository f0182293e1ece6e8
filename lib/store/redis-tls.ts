// Why a connection to Redis over TLS (rediss://) fails. Bun's Redis client reports every
// failure to connect, an untrusted certificate or a refused client certificate included, as
// "Connection closed"; an operator needs the reason.

/** A handshake that takes longer says nothing: the connect's own timeout already tells. */
const HANDSHAKE_TIMEOUT_MS = 2000;

/**
 * What a rediss:// connection is given, as PEM: certificates Redis's is checked against
 * instead of the roots Bun trusts (`ca`), and a client certificate with its chain and key for
 * a Redis that asks for one. Bun's client and the handshake below take the same, so that the
 * reason found is the client's.
 */
export interface RedisTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * Why a TLS connection to the Redis of `url` made with `tls` (without it: the roots Bun trusts,
 * no client certificate) fails, or null when it does not fail.
 */
export function handshakeFailure(url: string, tls: RedisTls | undefined): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let connection: Bun.Socket | null = null;
    let handshaken = false;
    // Resolved before the end: ending a socket mid-handshake reports a failure of its own.
    const done = (reason: string | null) => {
      clearTimeout(timer);
      resolve(reason);
      connection?.end();
    };
    const timer = setTimeout(() => done(null), HANDSHAKE_TIMEOUT_MS);
    Bun.connect({
      hostname: hostname.replace(/^\[(.*)\]$/, "$1"),
      port: Number(port || "6379"),
      tls: tls ?? true,
      socket: {
        open(socket) {
          connection = socket;
        },
        handshake(socket, success, refusal: (Error & { code?: string }) | null) {
          if (!success) return done(`TLS handshake failed: ${refusal?.message ?? "certificate not accepted"}${refusal?.code ? ` (${refusal.code})` : ""}`);
          // A Redis that wants a client certificate (tls-auth-clients yes), or refuses ours, says so only after the handshake: wait for its answer.
          handshaken = true;
          socket.write("PING\r\n");
        },
        data: () => done(null),
        error: (_socket, error) => done(handshaken ? `Redis refused the TLS connection: ${error.message}` : error.message),
        connectError: (_socket, error) => done(error.message),
        close: () => done(null),
      },
    }).catch((error: Error) => done(error.message));
  });
}
