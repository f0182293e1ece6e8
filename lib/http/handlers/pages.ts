// The pages: start, join, help, statistics, a room's page, and the assets they load.
import { findAsset } from "../../render/assets.ts";
import type { Clock } from "../../base/clock.ts";
import type { Config } from "../../config.ts";
import { freshRoomName, type RandomInt } from "../../domain/names.ts";
import { ownerOf, ownerStatus, type OwnerStatus } from "../../domain/owner.ts";
import type { Rooms } from "../../domain/rooms.ts";
import { roomNameProblem } from "../../domain/rules.ts";
import { render, roomView, statsView, type PageName } from "../../render/pages.ts";
import { readBody } from "../body.ts";
import { publicUrl } from "../client.ts";
import { HTTP_ERRORS, type HttpError, type RouteKind } from "../errors.ts";
import { errorJson, html, redirect } from "../responses.ts";
import type { RequestContext } from "../router.ts";
import type { CurrentCounts } from "./counts.ts";
import { roomName } from "./rooms.ts";

export interface PageHandlerParts {
  config: Config;
  clock: Clock;
  rooms: Rooms;
  counts: CurrentCounts;
  random: RandomInt;
}

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

/** Page names that a room of the same name cannot use for its page (its API still works). */
const PAGE_NAMES = new Set(["help", "stats", "events"]);

/** What `read` answers, or `fallback` when the store cannot answer: a page loads without what it would have shown. */
async function unlessUnreadable<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch {
    return fallback;
  }
}

export function pageHandlers({ config, clock, rooms, counts, random }: PageHandlerParts) {
  function page(req: Request, name: PageName, view: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Response {
    const context = { base: config.basePath, publicUrl: publicUrl(req, config) };
    return html(render(name, context, view), status, { ...PAGE_HEADERS, ...headers });
  }

  function errorResponse(req: Request, kind: RouteKind, error: HttpError): Response {
    if (kind === "api") return errorJson(error);
    const heading = ERROR_HEADINGS[error.status] ?? "Error";
    const view = { title: `${heading} · mob timer`, status: error.status, heading, message: error.message };
    return page(req, "error", view, error.status, error.headers);
  }

  function indexPage(req: Request, room: string, error?: string): Response {
    const now = counts.current();
    const view = {
      title: "mob timer",
      room,
      error,
      maxRoomNameLength: config.maxRoomNameLength,
      listeners: now.listeners,
      timers: now.running,
    };
    return page(req, "index", view, error ? 400 : 200);
  }

  /**
   * Whether a suggested name is in use. A store that cannot answer (Redis down) does not
   * keep the start page from loading: the name, one of about 22 million, is offered unchecked.
   */
  function taken(name: string): Promise<boolean> {
    return unlessUnreadable(() => rooms.has(name), false);
  }

  /** Whether the room is claimed or private; unknown (null) while the store cannot answer, so that the page still loads. */
  function ownerView(name: string): Promise<OwnerStatus | null> {
    return unlessUnreadable(async () => ownerStatus(ownerOf((await rooms.load(name)).settings)), null);
  }

  async function startPage({ req }: RequestContext): Promise<Response> {
    return indexPage(req, await freshRoomName(taken, random));
  }

  async function joinRoom({ req }: RequestContext): Promise<Response> {
    const form = new URLSearchParams(await readBody(req, config.maxBodyBytes));
    const room = (form.get("room") ?? "").trim();
    const problem = roomNameProblem(room, config.maxRoomNameLength);
    if (problem) return indexPage(req, room, `${problem}.`);
    if (PAGE_NAMES.has(room)) return indexPage(req, room, `"${room}" is the name of a page here; choose another room name.`);
    return redirect(`${config.basePath}/${room}`);
  }

  function asset({ params }: RequestContext): Response {
    const found = findAsset(params.file!);
    if (!found) throw HTTP_ERRORS.noSuchFile.with();
    return new Response(found.body, {
      headers: { "Content-Type": found.type, "Cache-Control": "public, max-age=31536000, immutable" },
    });
  }

  return {
    errorResponse,
    startPage,
    joinRoom,
    asset,
    help: ({ req }: RequestContext) => page(req, "help", { title: "Help · mob timer" }),
    stats: async ({ req }: RequestContext) => page(req, "stats", statsView(await rooms.stats(), clock.now())),
    // Whether the room is claimed or private, and nothing of its state: that comes through the routes behind the key.
    roomPage: async (ctx: RequestContext) => {
      const name = roomName(ctx, config.maxRoomNameLength);
      return page(ctx.req, "room", { ...roomView(name), owner: await ownerView(name) });
    },
  };
}
