// The route table, on one screen. The first route that matches wins, so literal paths come
// before `:room`; a room named like a page is still reached through its sub-routes and PUT.
// Assets come after the room's sub-routes, so that a room named "assets" has its stream.
import type { apiHandlers } from "./handlers/api.ts";
import type { countsHandler } from "./handlers/counts.ts";
import type { hookHandlers } from "./handlers/hooks.ts";
import type { operatorHandlers } from "./handlers/operator.ts";
import type { pageHandlers } from "./handlers/pages.ts";
import type { roomHandlers } from "./handlers/rooms.ts";
import type { socketHandlers } from "./handlers/sockets.ts";
import { route, type Route } from "./router.ts";

export interface Handlers {
  pages: ReturnType<typeof pageHandlers>;
  rooms: ReturnType<typeof roomHandlers>;
  operator: ReturnType<typeof operatorHandlers>;
  indexEvents: ReturnType<typeof countsHandler>;
  api: ReturnType<typeof apiHandlers>;
  hooks: ReturnType<typeof hookHandlers>;
  sockets: Pick<ReturnType<typeof socketHandlers>, "roomSocket">;
}

export function routes({ pages, rooms, operator, indexEvents, api, hooks, sockets }: Handlers): Route[] {
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
    route("GET", "/api/rooms/:room", "api", api.readRoom),
    route("POST", "/api/rooms/:room/timer", "api", api.startTimer),
    route("POST", "/api/rooms/:room/break", "api", api.startBreak),
    route("PUT", "/api/rooms/:room/goal", "api", api.setGoal),
    route("DELETE", "/api/rooms/:room/goal", "api", api.deleteGoal),
    route("GET", "/api/rooms/:room/hooks", "api", hooks.list),
    route("POST", "/api/rooms/:room/hooks", "api", hooks.add),
    route("DELETE", "/api/rooms/:room/hooks/:id", "api", hooks.remove),
    route("POST", "/api/rooms/:room/hooks/:id/resume", "api", hooks.resume),
    route("POST", "/api/rooms/:room/hooks/:id/test", "api", hooks.sendTest),
    route("GET", "/:room", "page", pages.roomPage),
    route("PUT", "/:room", "api", rooms.startTimer),
    route("GET", "/:room/events", "api", rooms.roomEvents),
    route("GET", "/:room/ws", "api", sockets.roomSocket),
    route("GET", "/:room/goal", "api", rooms.readGoal),
    route("PUT", "/:room/goal", "api", rooms.setGoal),
    route("DELETE", "/:room/goal", "api", rooms.deleteGoal),
    route("GET", "/assets/:file", "page", pages.asset),
  ];
}
