// Optional HTTP Basic authentication. The mob CLI sends it unchanged from a URL such as
// https://user:pass@host/, and browsers prompt for it, so no client needs to change.
import { HTTP_ERRORS } from "./errors.ts";

export function digest(text: string): Uint8Array {
  return new Bun.CryptoHasher("sha256").update(text).digest();
}

/**
 * Compares two digests of equal length in time that does not depend on where they differ.
 * Written here because node:crypto's timingSafeEqual costs the server 6 MB of memory.
 */
export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/** A check that throws 401 unless the request carries the credentials. */
export function basicAuth(user: string, password: string): (req: Request) => void {
  // Comparing fixed-length digests in constant time reveals neither the secret nor its length.
  const expected = digest(`${user}:${password}`);
  const challenge = HTTP_ERRORS.unauthorized.with();
  return (req) => {
    if (!sameDigest(digest(basicCredentials(req) ?? ""), expected)) throw challenge;
  };
}

/** The request's Basic credentials as "user:password", or null without any. */
export function basicCredentials(req: Request): string | null {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  return match ? Buffer.from(match[1]!, "base64").toString("utf8") : null;
}
