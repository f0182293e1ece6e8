// Request bodies, read with a size limit.
import { HTTP_ERRORS, type HttpError } from "./errors.ts";

/**
 * Reads a request body as text, refusing more than `limit` bytes whether or not the client
 * announced its length.
 */
export function readBody(req: Request, limit: number): Promise<string> {
  const length = req.headers.get("content-length");
  if (length === null) return readUnannounced(req, limit);
  // HTTP framing holds a body to its declared length, so that length is the whole check.
  if (Number(length) > limit) return Promise.reject(tooLarge(limit));
  return req.text();
}

function tooLarge(limit: number): HttpError {
  return HTTP_ERRORS.bodyTooLarge.with({ limit });
}

/** A chunked body: read it piece by piece and stop at the limit. */
async function readUnannounced(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
