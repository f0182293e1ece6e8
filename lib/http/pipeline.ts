// Every request's way through the server, in one place: the Host, the visitor (who asks,
// with every budget of their address), Basic auth (with its guessing limit), the base path,
// the route, what the route costs the visitor, the handler, then metrics and a log line for
// whatever went wrong. Errors of any layer become answers here: HTTP errors as they are, the core's
// errors mapped to statuses, a client that went away as nothing at all, anything else as a
// generic 500 that is logged.
import type { Clock } from "../base/clock.ts";
import { DomainError } from "../domain/errors.ts";
import type { AppServer } from "../live/ws.ts";
import type { Logger } from "../base/log.ts";
import { fromDomain, HTTP_ERRORS, HttpError, type RouteKind } from "./errors.ts";
import type { Metrics } from "./metrics.ts";
import type { RefusalLog } from "./refusal-log.ts";
import { pathOf, type RequestContext, type Route, type Router } from "./router.ts";
import { Visitor, type Budgets } from "./visitor.ts";

export interface PipelineParts {
  basePath: string;
  trustProxy: boolean;
  clock: Clock;
  router: Router;
  metrics: Metrics;
  logger: Logger;
  /** Every address's budgets, which each request's visitor spends from. */
  budgets: Budgets;
  /** Throws 421 for a Host this server does not answer to. */
  checkHost: (req: Request) => void;
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
  const { basePath, trustProxy, router, metrics, logger, budgets, clock, checkHost, refusals } = parts;

  function rejection(req: Request, visitor: Visitor, kind: RouteKind, error: unknown): Response {
    // Made only for a line that is written: a flood of refusals is mostly counted.
    const fields = () => ({ method: req.method, url: pathOf(req.url), client: visitor.address });
    // Refusals are told apart first: Bun may make a request's signal only when it is asked for.
    if (!(error instanceof HttpError) && req.signal.aborted) {
      // Not a server error: the client hung up (mid-body, say) and will read no answer.
      logger.log("info", "request abandoned by the client", { ...fields(), cause: error instanceof Error ? error.message : String(error) });
      return new Response(null, { status: CLIENT_CLOSED });
    }
    const known = error instanceof DomainError ? fromDomain(error, kind) : error;
    if (known instanceof HttpError) {
      // The cause (a full disk, say) is for the operator; the client sees the public message.
      const logged = () => ({ ...fields(), status: known.status, reason: known.message, cause: known.cause === undefined ? undefined : String(known.cause) });
      if (REFUSALS.has(known.status)) {
        metrics.countRejected(known.code);
        refusals.note(visitor.address, known.code, logged, clock.now());
      } else {
        logger.log("warn", "request rejected", logged());
      }
      return parts.errorResponse(req, kind, known);
    }
    logger.log("error", "request failed", { ...fields(), error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return parts.errorResponse(req, kind, HTTP_ERRORS.internal.with());
  }

  function counted(req: Request, route: Route | undefined, response: Response | undefined): Response | undefined {
    metrics.countRequest(route?.pattern ?? "unmatched", req.method, response?.status ?? SWITCHING_PROTOCOLS);
    return response;
  }

  function failed(req: Request, visitor: Visitor, route: Route | undefined, error: unknown): Response | undefined {
    return counted(req, route, rejection(req, visitor, route?.kind ?? kindFor(req), error));
  }

  /**
   * Not an async function: an answer that is ready at once (a refusal by the Host check,
   * auth or a limit, a 404, health, metrics, an asset) goes out in the same turn, without a
   * promise to settle first: a flood of refused requests costs the least that way.
   */
  return function fetch(req: Request, server?: AppServer) {
    const visitor = new Visitor(req, server, trustProxy, budgets);
    let route: Route | undefined;
    let ctx: RequestContext | undefined;
    try {
      checkHost(req);
      visitor.checkPassword(clock);
      let path = pathOf(req.url);
      if (basePath) {
        if (path !== basePath && !path.startsWith(`${basePath}/`)) throw HTTP_ERRORS.notFound.with({ path });
        path = path.slice(basePath.length) || "/";
      }
      const match = router.match(req.method, path);
      const matched = (route = match.route);
      // Spent before the handler runs; a budget kept in a shared store answers later.
      const spent = visitor.spend(matched.cost, clock.now());
      const context: RequestContext = (ctx = { req, server, path, params: match.params, visitor, release: null });
      const result = spent instanceof Promise ? spent.then(() => matched.handler(context)) : matched.handler(context);
      if (!(result instanceof Promise)) {
        context.release?.();
        return counted(req, matched, result);
      }
      return result.then(
        (response) => {
          context.release?.();
          return counted(req, matched, response);
        },
        (error) => {
          context.release?.();
          return failed(req, visitor, matched, error);
        },
      );
    } catch (error) {
      ctx?.release?.();
      return failed(req, visitor, route, error);
    }
  } as Fetch;
}