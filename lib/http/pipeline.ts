// Every request's way through the server, in one place: the Host, Basic auth (with its
// guessing limit), the base path, the route, the caller's budget for that kind of request,
// the handler, then metrics and a log line for whatever went wrong. Errors of any layer become answers here: HTTP errors as they are, the core's
// errors mapped to statuses, a client that went away as nothing at all, anything else as a
// generic 500 that is logged.
import type { Clock } from "../base/clock.ts";
import { DomainError } from "../domain/errors.ts";
import type { AppServer } from "../live/ws.ts";
import type { Logger } from "../base/log.ts";
import { Caller } from "./caller.ts";
import { fromDomain, HTTP_ERRORS, HttpError } from "./errors.ts";
import type { GuessLimiter } from "./guesses.ts";
import type { Metrics } from "./metrics.ts";
import type { RequestRates } from "./rates.ts";
import type { RefusalLog } from "./refusal-log.ts";
import { pathOf, type Router, type RouteKind } from "./router.ts";

export interface PipelineParts {
  basePath: string;
  trustProxy: boolean;
  clock: Clock;
  router: Router;
  metrics: Metrics;
  logger: Logger;
  rates: RequestRates;
  /** Throws 421 for a Host this server does not answer to. */
  checkHost: (req: Request) => void;
  /** Throws 401 unless the request carries the server's credentials, 429 while its address guesses; null when none are set. */
  guesses: GuessLimiter | null;
  refusals: RefusalLog;
  /** The answer for an error: JSON on API routes, a page on page routes. */
  errorResponse(req: Request, kind: RouteKind, error: HttpError): Response;
}

export interface Fetch {
  /** In-process, without a connection: nothing can be upgraded, so there is always an answer. */
  (req: Request): Response | Promise<Response>;
  /** Undefined: the request became a WebSocket (Bun wants no answer then). */
  (req: Request, server: AppServer): Response | undefined | Promise<Response | undefined>;
}

/** Refusals by a limit (auth, body size, host, rates): counted, and logged once a minute per address. */
const REFUSALS = new Set([401, 413, 421, 429]);

const SWITCHING_PROTOCOLS = 101;

/** nginx's code for a request whose client closed the connection before the answer. */
const CLIENT_CLOSED = 499;

/** Errors outside any route are shown as a page to browsers and as JSON to everything else. */
function kindFor(req: Request): RouteKind {
  return (req.headers.get("accept") ?? "").includes("text/html") ? "page" : "api";
}

export function createPipeline(parts: PipelineParts): Fetch {
  const { basePath, router, metrics, logger, rates, clock, checkHost, guesses, refusals } = parts;

  function rejection(req: Request, caller: Caller, kind: RouteKind, error: unknown): Response {
    const fields = { method: req.method, url: pathOf(req.url), client: caller.address };
    if (req.signal.aborted && !(error instanceof HttpError)) {
      // Not a server error: the client hung up (mid-body, say) and will read no answer.
      logger.log("info", "request abandoned by the client", { ...fields, cause: error instanceof Error ? error.message : String(error) });
      return new Response(null, { status: CLIENT_CLOSED });
    }
    const known = error instanceof DomainError ? fromDomain(error, kind) : error;
    if (known instanceof HttpError) {
      // The cause (a full disk, say) is for the operator; the client sees the public message.
      const cause = known.cause === undefined ? undefined : String(known.cause);
      const logged = { ...fields, status: known.status, reason: known.message, cause };
      if (REFUSALS.has(known.status)) {
        metrics.countRejected(known.code);
        refusals.note(caller.address, known.code, logged, clock.now());
      } else {
        logger.log("warn", "request rejected", logged);
      }
      return parts.errorResponse(req, kind, known);
    }
    logger.log("error", "request failed", { ...fields, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return parts.errorResponse(req, kind, HTTP_ERRORS.internal.with());
  }

  /**
   * Not an async function: an answer that is ready at once (a refusal by the Host check,
   * auth or a limit, a 404, health, metrics, an asset) goes out in the same turn, without a
   * promise to settle first: a flood of refused requests costs the least that way.
   */
  return function fetch(req: Request, server?: AppServer) {
    const caller = new Caller(req, server, parts.trustProxy);
    let kind: RouteKind | undefined;
    let pattern = "unmatched";
    const counted = (response: Response | undefined) => {
      metrics.countRequest(pattern, req.method, response?.status ?? SWITCHING_PROTOCOLS);
      return response;
    };
    const failed = (error: unknown) => counted(rejection(req, caller, kind ?? kindFor(req), error));
    try {
      checkHost(req);
      guesses?.check(req, caller.address, clock.now());
      let path = pathOf(req.url);
      if (basePath) {
        if (path !== basePath && !path.startsWith(`${basePath}/`)) throw HTTP_ERRORS.notFound.with({ path });
        path = path.slice(basePath.length) || "/";
      }
      const { route, params } = router.match(req.method, path);
      kind = route.kind;
      pattern = route.pattern;
      rates.take(req.method, pattern, caller.address, clock.now(), req.url);
      const result = route.handler({ req, server, path, params, caller });
      return result instanceof Promise ? result.then(counted, failed) : counted(result);
    } catch (error) {
      return failed(error);
    }
  } as Fetch;
}