// A router small enough to read: method + path pattern → handler. Patterns are literal
// segments and `:name` parameters that match exactly one segment; the
// first route that matches method and path wins, so literal routes are listed first.
import type { AppServer } from "../live/ws.ts";
import { HTTP_ERRORS, type RouteKind } from "./errors.ts";
import type { Cost, Visitor } from "./visitor.ts";

export interface RequestContext {
  req: Request;
  /** Absent for a request handed to the app in-process, without a connection. */
  server: AppServer | undefined;
  path: string;
  params: Record<string, string>;
  /** Who asks, with their budgets; the route's cost is spent already. */
  visitor: Visitor;
  /**
   * Set by the room gate: what it holds for the handler, let go by the pipeline once the
   * handler has answered or failed, in the pipeline's own step rather than a promise more.
   */
  release: (() => void) | null;
}

/** Undefined: the request was upgraded to a WebSocket, which answers for itself. */
export type Handler = (ctx: RequestContext) => Response | undefined | Promise<Response | undefined>;

export interface Route {
  method: string;
  pattern: string;
  kind: RouteKind;
  /** What a request of the route spends from its visitor's budgets, before the handler runs. */
  cost: Cost;
  handler: Handler;
}

interface CompiledRoute extends Route {
  segments: readonly string[];
  /** Per segment, the parameter's name, or null for a literal segment. */
  names: readonly (string | null)[];
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export function route(method: string, pattern: string, kind: RouteKind, cost: Cost, handler: Handler): Route {
  return { method, pattern, kind, cost, handler };
}

/** Whether the pattern's literal segments equal the path's; parameters match anything. */
function fits({ segments, names }: CompiledRoute, parts: readonly string[]): boolean {
  for (let i = 0; i < segments.length; i++) if (names[i] === null && segments[i] !== parts[i]) return false;
  return true;
}

function paramsOf({ names }: CompiledRoute, parts: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name) params[name] = parts[i]!;
  }
  return params;
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

export class Router {
  /** Routes by their number of segments, in table order: a path is only tried against its own length. */
  private readonly byLength = new Map<number, CompiledRoute[]>();

  constructor(routes: readonly Route[]) {
    for (const r of routes) {
      const segments = r.pattern.split("/").slice(1);
      const list = this.byLength.get(segments.length) ?? [];
      const names = segments.map((segment) => (segment.startsWith(":") ? segment.slice(1) : null));
      list.push({ ...r, segments, names });
      this.byLength.set(segments.length, list);
    }
  }

  /** Finds the handler, or throws 404, or 405 with the methods the path does allow. */
  match(method: string, path: string): Match {
    // A path of one segment (a room's PUT, its page) is most of what a server is asked.
    const parts = path.indexOf("/", 1) === -1 ? [path.slice(1)] : path.split("/").slice(1);
    const wanted = method === "HEAD" ? "GET" : method;
    const candidates = this.byLength.get(parts.length) ?? [];
    for (const r of candidates) {
      if (r.method === wanted && fits(r, parts)) return { route: r, params: paramsOf(r, parts) };
    }
    const allowed = new Set<string>();
    for (const r of candidates) {
      if (!fits(r, parts)) continue;
      allowed.add(r.method);
      if (r.method === "GET") allowed.add("HEAD");
    }
    if (allowed.size === 0) throw HTTP_ERRORS.notFound.with({ path });
    const allow = [...allowed].sort().join(", ");
    throw HTTP_ERRORS.methodNotAllowed.with({ method, allow });
  }
}
