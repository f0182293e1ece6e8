// A router small enough to read: method + path pattern → handler. Patterns are literal
// segments and `:name` parameters that match exactly one segment; the
// first route that matches method and path wins, so literal routes are listed first.
import type { Server } from "bun";
import { HttpError } from "./http.ts";

/** How errors of a route are shown: JSON for API clients, a page for browsers. */
export type RouteKind = "api" | "page";

export interface RequestContext {
  req: Request;
  server: Server<undefined>;
  path: string;
  params: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Response | Promise<Response>;

export interface Route {
  method: string;
  pattern: string;
  kind: RouteKind;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: readonly string[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export function route(method: string, pattern: string, kind: RouteKind, handler: Handler): Route {
  return { method, pattern, kind, handler };
}

function matchSegments(segments: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith(":")) params[segment.slice(1)] = part;
    else if (segment !== part) return null;
  }
  return params;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((r) => ({ ...r, segments: r.pattern.split("/").slice(1) }));
  }

  /** Finds the handler, or throws 404, or 405 with the methods the path does allow. */
  match(method: string, path: string): Match {
    const parts = path.split("/").slice(1);
    const wanted = method === "HEAD" ? "GET" : method;
    const allowed = new Set<string>();
    let kind: RouteKind | undefined;
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.method === wanted) return { route: r, params };
      allowed.add(r.method);
      if (r.method === "GET") allowed.add("HEAD");
      kind ??= r.kind;
    }
    if (allowed.size === 0) throw new HttpError(404, "not_found", `nothing here: ${path}`);
    const allow = [...allowed].sort().join(", ");
    throw new HttpError(405, "method_not_allowed", `${method} is not allowed here; use ${allow}`, { Allow: allow });
  }
}
