// What a generated client needs of each operation beyond its answers: a name (operationId),
// a group (tag), and the credentials it may send. test/openapi.test.ts holds this list to the
// route table: every route is here, and `member` and `viewer` are the routes.ts gates.

/** `member`: behind the room's change gate; `viewer`: behind its read gate; `open`: no room's key. */
export type Access = "member" | "viewer" | "open";

export const TAGS = [
  { name: "original", description: "timer.mob.sh's routes, as the mob CLI and the original page use them" },
  { name: "rooms", description: "a room as JSON: read it, long-poll it, start timers and breaks, set its goal" },
  { name: "team", description: "what a team opts into: the roster, each member's own target, the break cadence, the statistics of its rotation" },
  { name: "owner", description: "rooms a team claims: a key for changes (and reads, when private)" },
  { name: "hooks", description: "a room's outgoing webhooks" },
  { name: "pages", description: "the web pages" },
  { name: "operator", description: "health, metrics and this document" },
] as const;

type Tag = (typeof TAGS)[number]["name"];

export interface OperationFacts {
  id: string;
  tag: Tag;
  access: Access;
}

const facts = (id: string, tag: Tag, access: Access): OperationFacts => ({ id, tag, access });

/** By `METHOD /path/{param}`, as the document's paths name them. */
export const OPERATIONS: Record<string, OperationFacts> = {
  "GET /": facts("startPage", "pages", "open"),
  "POST /": facts("joinRoom", "pages", "open"),
  "GET /help": facts("helpPage", "pages", "open"),
  "GET /stats": facts("statsPage", "pages", "open"),
  "GET /events": facts("followService", "operator", "open"),
  "GET /api/health": facts("health", "operator", "open"),
  "GET /actuator/health": facts("actuatorHealth", "operator", "open"),
  "GET /api/metrics": facts("metrics", "operator", "open"),
  "GET /api/openapi.json": facts("openApi", "operator", "open"),
  "GET /api/rooms/{room}": facts("readRoom", "rooms", "viewer"),
  "POST /api/rooms/{room}/timer": facts("startTimer", "rooms", "member"),
  "POST /api/rooms/{room}/break": facts("startBreak", "rooms", "member"),
  "PUT /api/rooms/{room}/goal": facts("setGoal", "rooms", "member"),
  "DELETE /api/rooms/{room}/goal": facts("deleteGoal", "rooms", "member"),
  "POST /api/rooms/{room}/roster": facts("editRoster", "team", "member"),
  "DELETE /api/rooms/{room}/roster": facts("dropRoster", "team", "member"),
  "PUT /api/rooms/{room}/cadence": facts("setCadence", "team", "member"),
  "GET /api/rooms/{room}/targets": facts("listTargets", "team", "viewer"),
  "PUT /api/rooms/{room}/targets": facts("setTarget", "team", "member"),
  "DELETE /api/rooms/{room}/targets": facts("removeTarget", "team", "member"),
  "GET /api/rooms/{room}/stats": facts("readRotationStats", "team", "viewer"),
  "GET /api/rooms/{room}/stats/panel": facts("rotationPanel", "team", "viewer"),
  "GET /api/rooms/{room}/hooks": facts("listHooks", "hooks", "viewer"),
  "POST /api/rooms/{room}/hooks": facts("addHook", "hooks", "member"),
  "DELETE /api/rooms/{room}/hooks/{id}": facts("removeHook", "hooks", "member"),
  "POST /api/rooms/{room}/hooks/{id}/resume": facts("resumeHook", "hooks", "member"),
  "POST /api/rooms/{room}/hooks/{id}/test": facts("testHook", "hooks", "member"),
  "POST /api/rooms/{room}/owner": facts("claimRoom", "owner", "open"),
  "GET /api/rooms/{room}/owner": facts("readOwner", "owner", "member"),
  "PUT /api/rooms/{room}/owner": facts("setPrivacy", "owner", "member"),
  "DELETE /api/rooms/{room}/owner": facts("releaseRoom", "owner", "member"),
  "POST /api/rooms/{room}/owner/key": facts("rotateKey", "owner", "member"),
  "GET /{room}": facts("roomPage", "pages", "open"),
  "PUT /{room}": facts("startTimerOriginal", "original", "member"),
  "GET /{room}/events": facts("followRoom", "original", "viewer"),
  "GET /{room}/ws": facts("roomSocket", "rooms", "viewer"),
  "GET /{room}/goal": facts("readGoalOriginal", "original", "viewer"),
  "PUT /{room}/goal": facts("setGoalOriginal", "original", "member"),
  "DELETE /{room}/goal": facts("deleteGoalOriginal", "original", "member"),
  "GET /assets/{file}": facts("asset", "pages", "open"),
};

/**
 * Alternatives, any one of which will do. `basic` is the server's password when it sets one
 * (AUTH_USER, AUTH_PASSWORD), and then goes with every request; an empty one means a room
 * nobody claimed, or a server without a password, needs nothing.
 */
const SECURITY: Record<Access, Record<string, string[]>[]> = {
  open: [{}, { basic: [] }],
  member: [{ roomKey: [] }, { basic: [] }, { basic: [], roomKey: [] }, {}],
  viewer: [{}, { roomKey: [] }, { basic: [] }, { basic: [], roomKey: [] }],
};

/** The fields the operation `METHOD path` adds to its Operation Object. */
export function operationFields(method: string, path: string) {
  const found = OPERATIONS[`${method.toUpperCase()} ${path}`];
  if (!found) throw new Error(`no operationId for ${method.toUpperCase()} ${path}`);
  return { operationId: found.id, tags: [found.tag], security: SECURITY[found.access] };
}
