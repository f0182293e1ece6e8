// The application: the route table, the handlers that turn HTTP into room operations, and
// the timers (keep-alive, sweep, counts) that the app owns and stops in close().
import type { Server } from "bun";
import { findAsset } from "./assets.ts";
import { basicAuth } from "./auth.ts";
import { clientAddress, publicUrl } from "./client.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { GuessLimiter } from "./http/guesses.ts";
import { hostCheck } from "./http/hosts.ts";
import { RequestRates } from "./http/rates.ts";
import { RefusalLog } from "./http/refusal-log.ts";
import { accepted, html, HttpError, json, pathOf, readBody, redirect } from "./http.ts";
import { StreamLimiter } from "./limits.ts";
import { silentLogger, type Logger } from "./log.ts";
import { Metrics } from "./metrics.ts";
import { randomInt, randomRoomName, type RandomInt } from "./names.ts";
import { render, roomView, statsView, type PageContext } from "./pages.ts";
import { parseGoalBody, parseGoalDeletion, parseTimerBody, roomNameProblem } from "./requests.ts";
import { clampMinutes } from "./room.ts";
import { KEEP_ALIVE, Rooms } from "./rooms.ts";
import { route, Router, type RequestContext, type RouteKind } from "./router.ts";
import { Hub, sseEvent } from "./sse.ts";
import { MemoryStore, type Store } from "./store.ts";
import { VERSION } from "./version.ts";

export interface AppOptions {
  clock?: Clock;
  store?: Store;
  logger?: Logger;
  random?: RandomInt;
}

export interface App {
  fetch(req: Request, server: Server<undefined>): Response | Promise<Response>;
  /**
   * Stops every timer and ends every stream, telling listeners to come back after a
   * second (to this server restarted, or another); the store is closed too.
   */
  close(): Promise<void>;
  readonly rooms: Rooms;
  readonly roomStreams: Hub;
  readonly indexStreams: Hub;
}

/**
 * Keep-alives go to a quarter of the streams at a time, 1.25 s apart at the default 5 s
 * interval: each stream still gets one per interval, and no moment carries all of them.
 */
const KEEP_ALIVE_GROUPS = 4;

/** EventSource reconnects after `retry` ms when its stream ends. */
const RECONNECT_SOON = "retry:1000\n\n";

/** Page names that a room of the same name cannot use for its page (its API still works). */
const PAGE_NAMES = new Set(["help", "stats", "events"]);

// Browsers get our own scripts, styles and icons and nothing from anywhere else. Pages carry
// live counts and a fresh random room name: a browser asks again on every visit (no-cache
// still lets the back button show the page it has), and a shared cache never keeps one, or
// it would suggest the same room name to everyone behind it.
const PAGE_HEADERS = {
  "Cache-Control": "private, no-cache",
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
};

/** Refusals by a limit (auth, body size, host, rates): counted, and logged once a minute per address. */
const REFUSALS = new Set([401, 413, 421, 429]);

/** A goal changes at any moment; an answer kept by a cache would show an old one. */
const NO_STORE = { "Cache-Control": "no-store" };

const ERROR_HEADINGS: Record<number, string> = {
  400: "Bad request",
  401: "Sign in needed",
  404: "Not found",
  405: "Method not allowed",
  413: "Too large",
  429: "Too many requests",
  500: "Server error",
  503: "Unavailable",
};

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? randomInt;
  const base = config.basePath;
  const startedAt = clock.now();
  const metrics = new Metrics();
  const store = options.store ?? new MemoryStore();
  const authenticate = config.authUser || config.authPassword ? basicAuth(config.authUser, config.authPassword) : null;
  const checkHost = hostCheck(config);
  const guesses = authenticate && new GuessLimiter(authenticate, config.authFailures);
  const refusals = new RefusalLog(logger);
  const rates = new RequestRates(config);
  const streams = new StreamLimiter(config.maxStreams, config.maxStreamsPerClient);

  const roomStreams = new Hub((room) => rooms.forgetIfUnused(room), KEEP_ALIVE_GROUPS);
  const indexStreams = new Hub();
  const rooms = new Rooms(config, clock, store, roomStreams, (op, seconds) => metrics.observeStorage(op, seconds));
  await rooms.restore();

  function pageContext(req: Request): PageContext {
    return { base, publicUrl: publicUrl(req, config) };
  }

  /** Opens an event stream within the stream limits. */
  function openStream(hub: Hub, topic: string, ctx: RequestContext, replay: () => string): Response {
    const release = streams.acquire(clientAddress(ctx.req, ctx.server, config.trustProxy));
    return hub.open(topic, ctx.req, ctx.server, replay, release);
  }

  /** A new room beyond the limit is refused; existing rooms always work. */
  function admitRoom(room: string): void {
    if (rooms.has(room) || rooms.size < config.maxRooms) return;
    throw new HttpError(429, "rooms", `the server holds its maximum of ${config.maxRooms} rooms; try again later`, {
      "Retry-After": "60",
    });
  }

  async function health(): Promise<Response> {
    let storage = "ok";
    try {
      await store.check();
    } catch (error) {
      storage = "failing";
      logger.log("error", "storage check failed", { error: String(error) });
    }
    return json(
      {
        status: storage === "ok" ? "ok" : "unavailable",
        version: VERSION,
        uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
        rooms: rooms.size,
        listeners: roomStreams.size,
        storage: { kind: store.kind, status: storage },
      },
      storage === "ok" ? 200 : 503,
      { "Cache-Control": "no-store" },
    );
  }

  function page(
    req: Request,
    name: Parameters<typeof render>[0],
    view: Record<string, unknown>,
    status = 200,
    headers: Record<string, string> = {},
  ): Response {
    return html(render(name, pageContext(req), view), status, { ...PAGE_HEADERS, ...headers });
  }

  function roomParam(ctx: RequestContext, kind: RouteKind): string {
    const name = ctx.params.room!;
    const problem = roomNameProblem(name, config.maxRoomNameLength);
    if (problem === null) return name;
    if (kind === "api") throw new HttpError(400, "bad_room_name", problem);
    throw new HttpError(404, "bad_room_name", `There is no page here: ${problem}.`);
  }

  function countsEvents(): string {
    return (
      sseEvent("ACTIVE_USERS_UPDATE", String(roomStreams.size)) +
      sseEvent("ACTIVE_TIMERS_UPDATE", String(rooms.runningCount()))
    );
  }

  function indexPage(req: Request, room: string, error?: string): Response {
    return page(
      req,
      "index",
      {
        title: "mob timer",
        room,
        error,
        maxRoomNameLength: config.maxRoomNameLength,
        listeners: roomStreams.size,
        timers: rooms.runningCount(),
      },
      error ? 400 : 200,
    );
  }

  // Handlers: each turns one request into a room operation or a page.

  function startPage({ req }: RequestContext): Response {
    return indexPage(req, randomRoomName((n) => rooms.has(n), random));
  }

  async function joinRoom({ req }: RequestContext): Promise<Response> {
    const form = new URLSearchParams(await readBody(req, config.maxBodyBytes));
    const room = (form.get("room") ?? "").trim();
    const problem = roomNameProblem(room, config.maxRoomNameLength);
    if (problem) return indexPage(req, room, `${problem}.`);
    if (PAGE_NAMES.has(room)) return indexPage(req, room, `"${room}" is the name of a page here; choose another room name.`);
    return redirect(`${base}/${room}`);
  }

  function metricsText(): Response {
    const text = metrics.render({
      listeners: roomStreams.size,
      indexListeners: indexStreams.size,
      rooms: rooms.size,
      runningTimers: rooms.runningCount(),
      eventsSent: roomStreams.sent,
      uptimeSeconds: (clock.now() - startedAt) / 1000,
    });
    return new Response(text, {
      headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" },
    });
  }

  function asset({ params }: RequestContext): Response {
    const found = findAsset(params.file!);
    if (!found) throw new HttpError(404, "not_found", "There is no such file.");
    return new Response(found.body, {
      headers: { "Content-Type": found.type, "Cache-Control": "public, max-age=31536000, immutable" },
    });
  }

  async function startTimer(ctx: RequestContext): Promise<Response> {
    const room = roomParam(ctx, "api");
    const input = parseTimerBody(await readBody(ctx.req, config.maxBodyBytes), config.maxUserLength);
    const minutes = clampMinutes(input.minutes, config.maxMinutes);
    admitRoom(room);
    const entry = await rooms.startTimer(room, input.type, minutes, input.user);
    const message = input.type === "TIMER" ? "timer started" : "break started";
    logger.log("info", message, { room, minutes, user: entry.user, next: entry.nextUser });
    return accepted();
  }

  function roomEvents(ctx: RequestContext): Response {
    const room = roomParam(ctx, "api");
    return openStream(roomStreams, room, ctx, () => rooms.replay(room));
  }

  function readGoal(ctx: RequestContext): Response {
    const goal = rooms.find(roomParam(ctx, "api"))?.goal.goal ?? null;
    return goal === null ? new Response(null, { status: 204, headers: NO_STORE }) : json({ goal }, 200, NO_STORE);
  }

  async function setGoal(ctx: RequestContext): Promise<Response> {
    const room = roomParam(ctx, "api");
    const input = parseGoalBody(await readBody(ctx.req, config.maxBodyBytes), config.maxUserLength);
    admitRoom(room);
    await rooms.setGoal(room, input.goal, input.user);
    logger.log("info", "goal set", { room, user: input.user });
    return accepted();
  }

  async function deleteGoal(ctx: RequestContext): Promise<Response> {
    const room = roomParam(ctx, "api");
    const user = parseGoalDeletion(await readBody(ctx.req, config.maxBodyBytes), config.maxUserLength);
    await rooms.deleteGoal(room, user);
    logger.log("info", "goal deleted", { room, user });
    return accepted();
  }

  // The route table. The first route that matches wins, so literal paths come before
  // `:room`; a room named like a page is still reached through its sub-routes and PUT.
  // Assets come after the room's sub-routes, so that a room named "assets" has its stream.
  const router = new Router([
    route("GET", "/", "page", startPage),
    route("POST", "/", "page", joinRoom),
    route("GET", "/help", "page", ({ req }) => page(req, "help", { title: "Help · mob timer" })),
    route("GET", "/stats", "page", ({ req }) => page(req, "stats", statsView(rooms.stats.snapshot()))),
    route("GET", "/events", "api", (ctx) => openStream(indexStreams, "", ctx, countsEvents)),
    route("GET", "/api/health", "api", health),
    route("GET", "/actuator/health", "api", health),
    route("GET", "/api/metrics", "api", metricsText),
    route("GET", "/:room", "page", (ctx) => page(ctx.req, "room", roomView(roomParam(ctx, "page")))),
    route("PUT", "/:room", "api", startTimer),
    route("GET", "/:room/events", "api", roomEvents),
    route("GET", "/:room/goal", "api", readGoal),
    route("PUT", "/:room/goal", "api", setGoal),
    route("DELETE", "/:room/goal", "api", deleteGoal),
    route("GET", "/assets/:file", "page", asset),
  ]);

  function errorResponse(req: Request, kind: RouteKind, error: HttpError): Response {
    if (kind === "api") return json({ error: error.message }, error.status, error.headers);
    const heading = ERROR_HEADINGS[error.status] ?? "Error";
    const view = { title: `${heading} · mob timer`, status: error.status, heading, message: error.message };
    return page(req, "error", view, error.status, error.headers);
  }

  /** Errors outside any route are shown as a page to browsers and as JSON to everything else. */
  function kindFor(req: Request): RouteKind {
    return (req.headers.get("accept") ?? "").includes("text/html") ? "page" : "api";
  }

  /**
   * Not an async function: an event stream's response goes out in the same turn, without a
   * promise to settle first, which is most of what opening 10,000 streams costs.
   */
  function fetch(req: Request, server: Server<undefined>): Response | Promise<Response> {
    let kind: RouteKind | undefined;
    let pattern = "unmatched";
    const counted = (response: Response) => {
      metrics.countRequest(pattern, req.method, response.status);
      return response;
    };
    const failed = (error: unknown) => counted(rejection(req, server, kind ?? kindFor(req), error));
    try {
      checkHost(req);
      const address = clientAddress(req, server, config.trustProxy);
      guesses?.check(req, address, clock.now());
      let path = pathOf(req.url);
      if (base) {
        if (path !== base && !path.startsWith(`${base}/`)) throw new HttpError(404, "not_found", `nothing here: ${path}`);
        path = path.slice(base.length) || "/";
      }
      const { route: matched, params } = router.match(req.method, path);
      kind = matched.kind;
      pattern = matched.pattern;
      rates.take(req.method, pattern, address, clock.now());
      const result = matched.handler({ req, server, path, params });
      return result instanceof Promise ? result.then(counted, failed) : counted(result);
    } catch (error) {
      return failed(error);
    }
  }

  function rejection(req: Request, server: Server<undefined>, kind: RouteKind, error: unknown): Response {
    const fields = { method: req.method, url: pathOf(req.url), client: clientAddress(req, server, config.trustProxy) };
    if (error instanceof HttpError) {
      // The cause (a full disk, say) is for the operator; the client sees the public message.
      const cause = error.cause === undefined ? undefined : String(error.cause);
      const logged = { ...fields, status: error.status, reason: error.message, cause };
      if (REFUSALS.has(error.status)) {
        metrics.countRejected(error.code);
        refusals.note(fields.client, error.code, logged, clock.now());
      } else {
        logger.log("warn", "request rejected", logged);
      }
      return errorResponse(req, kind, error);
    }
    logger.log("error", "request failed", { ...fields, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return errorResponse(req, kind, new HttpError(500, "internal", "Something went wrong on the server; it has been logged."));
  }

  let keepAliveTick = 0;
  let closed = false;
  const intervals = [
    setInterval(() => void roomStreams.sendToGroup(keepAliveTick++, KEEP_ALIVE, () => closed), config.keepAliveMs / KEEP_ALIVE_GROUPS),
    setInterval(() => {
      rates.prune(clock.now());
      guesses?.prune(clock.now());
      refusals.flush(clock.now());
      rooms.sweep().catch((error) => logger.log("error", "sweep failed", { error: String(error) }));
    }, config.sweepMs),
    setInterval(() => {
      indexStreams.broadcast("", countsEvents);
    }, config.countsMs),
  ];

  return {
    fetch,
    rooms,
    roomStreams,
    indexStreams,
    async close() {
      closed = true;
      for (const interval of intervals) clearInterval(interval);
      roomStreams.closeAll(RECONNECT_SOON);
      indexStreams.closeAll(RECONNECT_SOON);
      await store.close();
    },
  };
}
