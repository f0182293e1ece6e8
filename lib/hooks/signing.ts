// The generic JSON format's signature: HMAC-SHA256 over the timestamp, a dot and the body,
// so that a receiver knows the body came from a holder of the secret, and, by refusing old
// timestamps, that it is not a recorded delivery played again. Bun's own hasher and the web's
// random numbers, not node:crypto, which every server would load (lib/base/node-modules.ts).

export const TIMESTAMP_HEADER = "X-Mob-Timer-Timestamp";
export const SIGNATURE_HEADER = "X-Mob-Timer-Signature";

/** Hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export function signature(secret: string, timestamp: string, body: string): string {
  return new Bun.CryptoHasher("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The headers of a signed body sent at `nowMs`: the timestamp in whole seconds since 1970, and `sha256=<hex>`. */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `sha256=${signature(secret, timestamp, body)}` };
}

/** A fresh secret for a hook whose owner gave none: 32 random bytes, URL-safe. */
export function newSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}
