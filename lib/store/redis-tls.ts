// Redis over TLS (rediss://) with a private CA: the CA file an operator gives, checked at
// start, and why a handshake fails. Bun's Redis client reports every failure to connect,
// an untrusted certificate included, as "Connection closed"; an operator needs the reason.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { StoreError } from "./store.ts";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** A handshake that takes longer says nothing: the connect's own timeout already tells. */
const HANDSHAKE_TIMEOUT_MS = 2000;

/**
 * The certificates of REDIS_CA_FILE, as PEM. Throws StoreError naming the file and what is
 * wrong with it: Bun takes any text as a CA and only fails each connection afterwards.
 */
export function readCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new StoreError(`REDIS_CA_FILE ${path} cannot be read: ${(error as Error).message}`);
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new StoreError(`REDIS_CA_FILE ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new StoreError(`REDIS_CA_FILE ${path} holds a certificate that cannot be read: ${(error as Error).message}`);
    }
  }
  return certificates.join("\n");
}

/**
 * Why a TLS connection to the Redis of `url` fails when its certificate is checked against
 * `ca` (or, without one, the roots Bun trusts), or null when it does not fail.
 */
export function handshakeFailure(url: string, ca: string | undefined): Promise<string | null> {
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
      tls: ca === undefined ? true : { ca },
      socket: {
        open(socket) {
          connection = socket;
        },
        handshake(socket, success, refusal: (Error & { code?: string }) | null) {
          if (!success) return done(`TLS handshake failed: ${refusal?.message ?? "certificate not accepted"}${refusal?.code ? ` (${refusal.code})` : ""}`);
          // A Redis that wants a client certificate (tls-auth-clients yes) says so only after the handshake: wait for its answer.
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
