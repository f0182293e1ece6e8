// Errors are values: a status, a stable code for logs and metrics, and a message that is
// safe to show to a client.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** JSON answers; nosniff keeps a browser from running one as a script or page. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "X-Content-Type-Options": "nosniff", ...headers },
  });
}

export function html(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8", ...headers },
  });
}

/** 202 with an empty body: the mob CLI prints whatever body it gets back. */
export function accepted(): Response {
  return new Response(null, { status: 202 });
}

export function redirect(location: string, status = 303): Response {
  return new Response(null, { status, headers: { Location: location } });
}

/** The path of a request URL without query or fragment, without parsing the whole URL. */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  let end = url.length;
  const query = url.indexOf("?", start);
  if (query !== -1) end = query;
  const hash = url.indexOf("#", start);
  if (hash !== -1 && hash < end) end = hash;
  return url.slice(start, end);
}

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
  return new HttpError(413, "body_too_large", `request body is larger than ${limit} bytes`);
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
