// The route table, on one screen. The first route that matches wins, so literal paths come
// before `:room`; a room named like a page is still reached through its sub-routes and PUT.
// Assets come after the room's sub-routes, so that a room named "assets" has its stream.
// Each route names what it costs its caller (see Cost): changes spend the budget of
// changes, streams and long-polls that wait the budget of stream opens, reads the budget of
// reads; assets, loaded with every page, cost nothing.
import type { apiHandlers } from "./handlers/api.ts";
import type { countsHandler } from "./handlers/counts.ts";
import type { ownerHandlers } from "./handlers/owners.ts";
import type { hookHandlers } from "./handlers/hooks.ts";
import type { operatorHandlers } from "./handlers/operator.ts";
import type { pageHandlers } from "./handlers/pages.ts";
import type { roomHandlers } from "./handlers/rooms.ts";
import type { rotationPanelHandler } from "./handlers/rotation-panel.ts";
import type { socketHandlers } from "./handlers/sockets.ts";
import type { targetHandlers } from "./handlers/targets.ts";
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
  targets: ReturnType<typeof targetHandlers>;
  owners: ReturnType<typeof ownerHandlers>;
  rotationPanel: ReturnType<typeof rotationPanelHandler>;
  /** Every route naming a room declares what it needs: `access.viewer` to read it, `access.member` to change it. */
  access: Pick<RoomAccess, "viewer" | "member">;
}

export function routes({ pages, rooms, operator, indexEvents, api, hooks, sockets, team, targets, owners, rotationPanel, access }: Handlers): Route[] {
  return [
    route("GET", "/", "page", "read", pages.startPage),
    route("POST", "/", "page", "write", pages.joinRoom),
    route("GET", "/help", "page", "read", pages.help),
    route("GET", "/stats", "page", "read", pages.stats),
    route("GET", "/events", "api", "stream", indexEvents),
    route("GET", "/api/health", "api", "read", operator.health),
    route("GET", "/actuator/health", "api", "read", operator.health),
    route("GET", "/api/metrics", "api", "read", operator.metricsText),
    route("GET", "/api/openapi.json", "api", "read", api.openApi),
    route("GET", "/api/rooms/:room", "api", "poll", access.viewer(api.readRoom)),
    route("POST", "/api/rooms/:room/timer", "api", "write", access.member(api.startTimer)),
    route("POST", "/api/rooms/:room/break", "api", "write", access.member(api.startBreak)),
    route("PUT", "/api/rooms/:room/goal", "api", "write", access.member(api.setGoal)),
    route("DELETE", "/api/rooms/:room/goal", "api", "write", access.member(api.deleteGoal)),
    route("POST", "/api/rooms/:room/roster", "api", "write", access.member(team.editRoster)),
    route("DELETE", "/api/rooms/:room/roster", "api", "write", access.member(team.dropRoster)),
    route("PUT", "/api/rooms/:room/cadence", "api", "write", access.member(team.setCadence)),
    route("GET", "/api/rooms/:room/targets", "api", "read", access.viewer(targets.list)),
    route("PUT", "/api/rooms/:room/targets", "api", "write", access.member(targets.set)),
    route("DELETE", "/api/rooms/:room/targets", "api", "write", access.member(targets.remove)),
    route("GET", "/api/rooms/:room/stats", "api", "read", access.viewer(team.rotationStats)),
    route("GET", "/api/rooms/:room/stats/panel", "api", "read", access.viewer(rotationPanel)),
    route("GET", "/api/rooms/:room/hooks", "api", "read", access.viewer(hooks.list)),
    route("POST", "/api/rooms/:room/hooks", "api", "write", access.member(hooks.add)),
    route("DELETE", "/api/rooms/:room/hooks/:id", "api", "write", access.member(hooks.remove)),
    route("POST", "/api/rooms/:room/hooks/:id/resume", "api", "write", access.member(hooks.resume)),
    route("POST", "/api/rooms/:room/hooks/:id/test", "api", "write", access.member(hooks.sendTest)),
    // Claiming is open to anyone while nobody owns the room; the rest is for its team.
    route("POST", "/api/rooms/:room/owner", "api", "write", owners.claimRoom),
    route("GET", "/api/rooms/:room/owner", "api", "read", access.member(owners.readOwner)),
    route("PUT", "/api/rooms/:room/owner", "api", "write", access.member(owners.setPrivacy)),
    route("DELETE", "/api/rooms/:room/owner", "api", "write", access.member(owners.releaseRoom)),
    route("POST", "/api/rooms/:room/owner/key", "api", "write", access.member(owners.rotateKey)),
    // The page holds no state of the room: it reads it through the gated routes below.
    route("GET", "/:room", "page", "read", pages.roomPage),
    route("PUT", "/:room", "api", "write", access.member(rooms.startTimer)),
    route("GET", "/:room/events", "api", "stream", access.viewer(rooms.roomEvents)),
    route("GET", "/:room/ws", "api", "stream", access.viewer(sockets.roomSocket)),
    route("GET", "/:room/goal", "api", "read", access.viewer(rooms.readGoal)),
    route("PUT", "/:room/goal", "api", "write", access.member(rooms.setGoal)),
    route("DELETE", "/:room/goal", "api", "write", access.member(rooms.deleteGoal)),
    route("GET", "/assets/:file", "page", "free", pages.asset),
  ];
}
