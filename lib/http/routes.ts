// The route table, on one screen. The first route that matches wins, so literal paths come
// before `:room`; a room named like a page is still reached through its sub-routes and PUT.
// Assets come after the room's sub-routes, so that a room named "assets" has its stream.
import type { countsHandler } from "./handlers/counts.ts";
import type { operatorHandlers } from "./handlers/operator.ts";
import type { pageHandlers } from "./handlers/pages.ts";
import type { roomHandlers } from "./handlers/rooms.ts";
import { route, type Route } from "./router.ts";

export interface Handlers {
  pages: ReturnType<typeof pageHandlers>;
  rooms: ReturnType<typeof roomHandlers>;
  operator: ReturnType<typeof operatorHandlers>;
  indexEvents: ReturnType<typeof countsHandler>;
}

export function routes({ pages, rooms, operator, indexEvents }: Handlers): Route[] {
  return [
    route("GET", "/", "page", pages.startPage),
    route("POST", "/", "page", pages.joinRoom),
    route("GET", "/help", "page", pages.help),
    route("GET", "/stats", "page", pages.stats),
    route("GET", "/events", "api", indexEvents),
    route("GET", "/api/health", "api", operator.health),
    route("GET", "/actuator/health", "api", operator.health),
    route("GET", "/api/metrics", "api", operator.metricsText),
    route("GET", "/:room", "page", pages.roomPage),
    route("PUT", "/:room", "api", rooms.startTimer),
    route("GET", "/:room/events", "api", rooms.roomEvents),
    route("GET", "/:room/goal", "api", rooms.readGoal),
    route("PUT", "/:room/goal", "api", rooms.setGoal),
    route("DELETE", "/:room/goal", "api", rooms.deleteGoal),
    route("GET", "/assets/:file", "page", pages.asset),
  ];
}
