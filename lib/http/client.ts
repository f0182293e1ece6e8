// Who is asking, and under which address they reach us: taken from the connection, or
// from a proxy's X-Forwarded-* headers when the operator says a proxy sets them.
import type { AppServer } from "../live/ws.ts";
import type { Config } from "../config.ts";

/**
 * The client's address. Behind a trusted proxy it is the last X-Forwarded-For entry: the
 * one the proxy itself appended, which the client cannot forge.
 */
export function clientAddress(req: Request, server: AppServer, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").at(-1)?.trim();
    if (last) return last;
  }
  return server.requestIP(req)?.address ?? "unknown";
}

/** The URL pages show and tell `mob` to use, without a trailing slash. */
export function publicUrl(req: Request, config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const url = req.url;
  let origin = url.slice(0, url.indexOf("/", url.indexOf("//") + 2));
  if (config.trustProxy) {
    const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
    const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim().match(/^[A-Za-z0-9.:[\]-]+$/)?.[0];
    if (proto === "http" || proto === "https" || host) {
      const current = new URL(origin);
      origin = `${proto === "http" || proto === "https" ? proto : current.protocol.slice(0, -1)}://${host || current.host}`;
    }
  }
  return origin + config.basePath;
}
