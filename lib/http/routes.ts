// The route table, on one screen. The first route that matches wins, so literal paths come
// before `:room`; a room named like a page is still reached through its sub-routes and PUT.
// Assets come after the room's sub-routes, so that a room named "assets" has its stream.
import type { apiHandlers } from "./handlers/api.ts";
import type { countsHandler } from "./handlers/counts.ts";
import type { ownerHandlers } from "./handlers/owners.ts";
import type { hookHandlers } from "./handlers/hooks.ts";
import type { operatorHandlers } from "./handlers/operator.ts";
import type { pageHandlers } from "./handlers/pages.ts";
import type { roomHandlers } from "./handlers/rooms.ts";
import type { socketHandlers } from "./handlers/sockets.ts";
import type { teamHandlers } from "./handlers/team.ts";
import type { RoomAccess } from "./room-access.ts";
import { route, type Route } from "./router.ts";

export interface Handlers {
  pages: ReturnType<typeof pageHandlers>;
  rooms: ReturnType<typeof roomHandlers>;
  operator: ReturnType<typeof operatorHandlers>;
  indexEvents: ReturnType<typeof countsHandler>;
  api: ReturnType<typeof apiHandlers>;
  hooks: ReturnType<typeof hookHandlers>;
  sockets: Pick<ReturnType<typeof socketHandlers>, "roomSocket">;
  team: ReturnType<typeof teamHandlers>;
  owners: ReturnType<typeof ownerHandlers>;
  /** Every route naming a room declares what it needs: `access.viewer` to read it, `access.member` to change it. */
  access: Pick<RoomAccess, "viewer" | "member">;
}

export function routes({ pages, rooms, operator, indexEvents, api, hooks, sockets, team, owners, access }: Handlers): Route[] {
  return [
    route("GET", "/", "page", pages.startPage),
    route("POST", "/", "page", pages.joinRoom),
    route("GET", "/help", "page", pages.help),
    route("GET", "/stats", "page", pages.stats),
    route("GET", "/events", "api", indexEvents),
    route("GET", "/api/health", "api", operator.health),
    route("GET", "/actuator/health", "api", operator.health),
    route("GET", "/api/metrics", "api", operator.metricsText),
    route("GET", "/api/openapi.json", "api", api.openApi),
    route("GET", "/api/rooms/:room", "api", access.viewer(api.readRoom)),
    route("POST", "/api/rooms/:room/timer", "api", access.member(api.startTimer)),
    route("POST", "/api/rooms/:room/break", "api", access.member(api.startBreak)),
    route("PUT", "/api/rooms/:room/goal", "api", access.member(api.setGoal)),
    route("DELETE", "/api/rooms/:room/goal", "api", access.member(api.deleteGoal)),
    route("POST", "/api/rooms/:room/roster", "api", access.member(team.editRoster)),
    route("DELETE", "/api/rooms/:room/roster", "api", access.member(team.dropRoster)),
    route("PUT", "/api/rooms/:room/cadence", "api", access.member(team.setCadence)),
    route("GET", "/api/rooms/:room/hooks", "api", access.viewer(hooks.list)),
    route("POST", "/api/rooms/:room/hooks", "api", access.member(hooks.add)),
    route("DELETE", "/api/rooms/:room/hooks/:id", "api", access.member(hooks.remove)),
    route("POST", "/api/rooms/:room/hooks/:id/resume", "api", access.member(hooks.resume)),
    route("POST", "/api/rooms/:room/hooks/:id/test", "api", access.member(hooks.sendTest)),
    // Claiming is open to anyone while nobody owns the room; the rest is for its team.
    route("POST", "/api/rooms/:room/owner", "api", owners.claimRoom),
    route("GET", "/api/rooms/:room/owner", "api", access.member(owners.readOwner)),
    route("PUT", "/api/rooms/:room/owner", "api", access.member(owners.setPrivacy)),
    route("DELETE", "/api/rooms/:room/owner", "api", access.member(owners.releaseRoom)),
    route("POST", "/api/rooms/:room/owner/key", "api", access.member(owners.rotateKey)),
    // The page holds no state of the room: it reads it through the gated routes below.
    route("GET", "/:room", "page", pages.roomPage),
    route("PUT", "/:room", "api", access.member(rooms.startTimer)),
    route("GET", "/:room/events", "api", access.viewer(rooms.roomEvents)),
    route("GET", "/:room/ws", "api", access.viewer(sockets.roomSocket)),
    route("GET", "/:room/goal", "api", access.viewer(rooms.readGoal)),
    route("PUT", "/:room/goal", "api", access.member(rooms.setGoal)),
    route("DELETE", "/:room/goal", "api", access.member(rooms.deleteGoal)),
    route("GET", "/assets/:file", "page", pages.asset),
  ];
}
