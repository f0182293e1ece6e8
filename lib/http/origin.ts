// Whether a browser's request comes from this server's own pages. Browsers send `Origin`
// with every WebSocket handshake and every POST, PUT and DELETE, and a page on another site
// cannot forge it; a request without one comes from no browser page (curl, the mob CLI).
import type { Config } from "../config.ts";
import { HTTP_ERRORS } from "./errors.ts";

function ownOrigin(req: Request, config: Config): boolean {
  const origin = req.headers.get("origin");
  if (origin === null) return true;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    // "null": a sandboxed frame or a file, never one of our pages.
    return false;
  }
  if (config.publicUrl && new URL(config.publicUrl).host.toLowerCase() === host) return true;
  const forwarded = config.trustProxy ? req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || req.headers.get("host"))?.toLowerCase() === host;
}

const elsewhere = HTTP_ERRORS.crossOrigin.with();

/** Throws 403 unless the request comes from no browser page or from one of this server's. */
export function checkOrigin(req: Request, config: Config): void {
  if (!ownOrigin(req, config)) throw elsewhere;
}
