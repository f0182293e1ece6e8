// GET /api/openapi.json: every route of the table, the original's and the JSON API's, as
// OpenAPI 3.1. test/openapi.test.ts checks it against the table in both directions and
// sends each operation's example request to a real server. Each operation's name, group and
// credentials are in openapi-operations.ts; what listeners receive is in openapi-events.ts.

import { HOOK_FORMATS } from "../domain/settings.ts";
import { errorCatalog } from "./errors.ts";
import { hookEvents, liveSchemas } from "./openapi-events.ts";
import { operationFields, TAGS } from "./openapi-operations.ts";
import { statsSchemas } from "./openapi-stats.ts";

type Schema = Record<string, unknown>;
interface Answer {
  description: string;
  /** Media type → schema; absent for an empty body. */
  content?: Record<string, { schema: Schema }>;
}

const JSON_TYPE = "application/json";
const error: Answer = { description: "what is wrong, as `{\"error\": ...}`", content: { [JSON_TYPE]: { schema: { $ref: "#/components/schemas/Error" } } } };
const page = (description: string): Answer => ({ description, content: { "text/html": { schema: { type: "string" } } } });
const events = (description: string): Answer => ({ description, content: { "text/event-stream": { schema: { type: "string" } } } });
/** OpenAPI 3.1 has no schema for a stream's items: each event's is named beside it, and in the components. */
const roomEvents = {
  description: "Server-Sent Events: INITIAL_HISTORY, TIMER_REQUEST, GOAL_REQUEST (and TEAM_UPDATE, and HERE_UPDATE when anyone is here, in a team's room), then live events; each is a RoomStreamEvent",
  content: { "text/event-stream": { schema: { type: "string" }, "x-events": { $ref: "#/components/schemas/RoomStreamEvent" } } },
};
const data = (description: string, ref: string): Answer => ({ description, content: { [JSON_TYPE]: { schema: { $ref: `#/components/schemas/${ref}` } } } });
const empty = (description: string): Answer => ({ description });
/** The original's 202: empty, but one line of text/plain for the mob CLI to print in a team's room. */
const cliLine = (description: string): Answer => ({
  description: `${description}; empty, but in a room with a roster or a cadence one line of text/plain for the mob CLI to print`,
  content: { "text/plain": { schema: { type: "string", example: "10 min for alice, until 09:10 UTC · next: bob · https://timer.example/our-mob\n" } } },
});

const room = { name: "room", in: "path", required: true, example: "our-team", schema: { type: "string", pattern: "^[A-Za-z0-9_-]+$", maxLength: 128 } };
/** Who a listener is: counted among who is here in a team's room; limited as a roster's names are. */
const user = { name: "user", in: "query", required: false, schema: { type: "string", minLength: 1, maxLength: 256 }, description: "who the client is: in a team's room, here while connected and 30 s after (not blank; at most MAX_USER_LENGTH characters, else 400)" };
const ownedRoom = { ...room, example: "their-team" };
const limited = { "429": error };

function body(example: unknown, schema: Schema, type = JSON_TYPE) {
  return { required: true, content: { [type]: { schema, example } } };
}

/** A body the server reads when there is one: none, or an empty one, is the same as `{}`. */
function optionalBody(example: unknown, schema: Schema) {
  return { ...body(example, schema), required: false };
}

function operation(summary: string, responses: Record<string, Answer>, extra: Schema = {}) {
  return { summary, ...extra, responses };
}

const timerBody = { type: "object", properties: { timer: { type: "integer" }, breaktimer: { type: "integer" }, user: { type: ["string", "null"] } } };
const goalBody = { type: "object", required: ["goal"], properties: { goal: { type: "string" }, user: { type: ["string", "null"] } } };
const userBody = { type: "object", properties: { user: { type: ["string", "null"] } } };
const privacyBody = { type: "object", properties: { private: { type: "boolean" } } };
const minutesBody = { type: "object", required: ["minutes"], properties: { minutes: { type: "integer" }, user: { type: ["string", "null"] } } };
const rosterEditBody = {
  type: "object",
  required: ["action"],
  properties: {
    action: { enum: ["add", "remove", "move", "shuffle", "away", "back", "role", "anonymous", "named", "skip-absent"], description: "anonymous takes the member's name out of the room's statistics (their turns count as \"someone\"); named puts it back; skip-absent turns the rule \"pass over who is not here\" on or off" },
    name: { type: "string", description: "the member (every action but shuffle and skip-absent)" },
    on: { type: "boolean", description: "skip-absent: the rule on or off" },
    role: { type: ["string", "null"], description: "add, role: typist, navigator, ..." },
    to: { type: "integer", minimum: 0, description: "move: the new position, 0 first" },
    user: { type: ["string", "null"] },
  },
};
const cadenceBody = {
  type: "object",
  properties: {
    turns: { type: ["integer", "null"], minimum: 1, maximum: 100 },
    minutes: { type: ["integer", "null"], minimum: 1, maximum: 1440 },
    retroRounds: { type: ["integer", "null"], minimum: 1, maximum: 50, description: "suggest a retro after every so many full rounds" },
    user: { type: ["string", "null"] },
  },
};
/** The team's routes try their examples in a room of their own: the original's examples stay in a room that never opted in. */
const teamRoom = { ...room, example: "our-mob" };
/** A room its team claimed answers 401 without its key: to changes, and to reads when it is private. */
const keyed = { "401": error };
const write = { "400": error, "401": error, "403": error, "413": error, ...limited };
const newHookBody = {
  type: "object",
  required: ["format", "url"],
  properties: {
    format: { enum: [...HOOK_FORMATS] },
    url: { type: "string", format: "uri", description: "http or https; private and loopback addresses only if the server allows them" },
    events: { ...hookEvents, description: "what to send; all when left out" },
    secret: { type: "string", minLength: 16, maxLength: 256, description: "json only: the signing key; one is made when left out" },
  },
};
const newTargetBody = {
  type: "object",
  required: ["name", "format", "url"],
  properties: {
    name: { type: "string", description: "the roster member whose target it is" },
    format: { enum: [...HOOK_FORMATS], description: "ntfy for an ntfy topic's URL; json for any webhook" },
    url: newHookBody.properties.url,
    secret: newHookBody.properties.secret,
  },
};
const memberBody = { type: "object", required: ["name"], properties: { name: { type: "string" } } };
const hookId = { name: "id", in: "path", required: true, example: "0123456789ab", schema: { type: "string" } };

const paths = {
  "/": {
    get: operation("the start page", { "200": page("a form to join a room") }),
    post: operation("join a room", { "303": empty("to the room's page"), "400": page("the start page with the reason") }, {
      requestBody: body("room=our-team", { type: "string" }, "application/x-www-form-urlencoded"),
    }),
  },
  "/help": { get: operation("how to point mob at this server", { "200": page("the help page") }) },
  "/stats": { get: operation("timers, breaks and goals counted", { "200": page("the statistics page") }) },
  "/events": { get: operation("ACTIVE_USERS_UPDATE and ACTIVE_TIMERS_UPDATE once a second", { "200": events("Server-Sent Events"), ...limited }) },
  "/api/health": { get: operation("whether the server and its store work", { "200": data("healthy", "Health"), "503": data("not healthy", "Health") }) },
  "/actuator/health": { get: operation("the same, where Spring-style checks look", { "200": data("healthy", "Health"), "503": data("not healthy", "Health") }) },
  "/api/metrics": { get: operation("Prometheus metrics", { "200": { description: "text exposition format", content: { "text/plain": { schema: { type: "string" } } } } }) },
  "/api/openapi.json": { get: operation("this document", { "200": { description: "OpenAPI 3.1", content: { [JSON_TYPE]: { schema: { type: "object" } } } } }) },
  "/api/rooms/{room}": {
    get: operation("the room as data; with since and wait, a long-poll", { "200": data("the room", "Room"), "304": empty("unchanged (If-None-Match), or the wait ran out"), "400": error, ...keyed, ...limited, "503": error }, {
      parameters: [
        room,
        { name: "since", in: "query", required: false, schema: { type: "integer", minimum: 0 }, description: "the seq the client has" },
        { name: "wait", in: "query", required: false, schema: { type: "integer", minimum: 0 }, description: "seconds to wait for a change after since (at most 55); in a team's room a change of who is here ends it too, at the same seq" },
        user,
      ],
    }),
  },
  "/api/rooms/{room}/timer": {
    post: operation("start a timer", { "201": data("the room after the change", "Room"), ...write }, { parameters: [room], requestBody: body({ minutes: 10, user: "alice" }, minutesBody) }),
  },
  "/api/rooms/{room}/break": {
    post: operation("start a break", { "201": data("the room after the change", "Room"), ...write }, { parameters: [room], requestBody: body({ minutes: 5, user: "alice" }, minutesBody) }),
  },
  "/api/rooms/{room}/goal": {
    put: operation("set the goal", { "200": data("the room after the change", "Room"), ...write }, { parameters: [room], requestBody: body({ goal: "ship it", user: "alice" }, goalBody) }),
    delete: operation("delete the goal", { "200": data("the room after the change", "Room"), ...write }, { parameters: [room], requestBody: optionalBody({ user: "alice" }, userBody) }),
  },
  "/api/rooms/{room}/roster": {
    post: operation("edit the team's roster (a room without one starts from its history's users)", { "200": data("the room after the change", "Room"), ...write }, {
      parameters: [teamRoom],
      requestBody: body({ action: "add", name: "dave", role: "typist", user: "alice" }, rosterEditBody),
    }),
    delete: operation("drop the roster: who is next goes back to the history's rotation", { "200": data("the room after the change", "Room"), ...write }, { parameters: [teamRoom], requestBody: optionalBody({ user: "alice" }, userBody) }),
  },
  "/api/rooms/{room}/cadence": {
    put: operation("suggest a break after so many turns or minutes of work, a retro after so many full rounds (null: that part off)", { "200": data("the room after the change", "Room"), ...write }, {
      parameters: [teamRoom],
      requestBody: body({ turns: 4, minutes: 90, retroRounds: 3, user: "alice" }, cadenceBody),
    }),
  },
  "/api/rooms/{room}/targets": {
    get: operation("the roster members' own targets, URLs and secrets masked", { "200": data("the targets", "Targets"), "400": error, ...keyed, ...limited, "503": error }, { parameters: [teamRoom] }),
    put: operation("set a member's own target (again, to send to it after it was paused): \"you're next\" and \"your turn\", for them only; the answer shows a json target's secret whole, once", { "200": data("the target, and its secret", "NewTarget"), ...write, "503": error }, {
      parameters: [teamRoom],
      requestBody: body({ name: "dave", format: "ntfy", url: "https://ntfy.sh/dave-mob-3f9a" }, newTargetBody),
    }),
    delete: operation("remove a member's own target", { "200": data("the targets left", "Targets"), ...write }, { parameters: [teamRoom], requestBody: body({ name: "dave" }, memberBody) }),
  },
  "/api/rooms/{room}/stats": {
    get: operation("the team's rotation: turns, minutes, breaks, rounds and the time to each person's next turn, per UTC day", {
      "200": data("the last days' rotation", "RotationReport"),
      "400": error,
      ...keyed,
      "404": error,
      ...limited,
      "503": error,
    }, {
      parameters: [
        teamRoom,
        { name: "days", in: "query", required: false, example: "7", schema: { type: "integer", minimum: 1 }, description: "UTC days back, today's included: 7 unless given, at most ROOM_STATS_DAYS (30 by default)" },
      ],
    }),
  },
  "/api/rooms/{room}/stats/panel": {
    get: operation("the room page's statistics panel of the last 7 days, as HTML (the page fetches it with the room's key)", {
      "200": page("the panel: a heading, the totals, turns and minutes per person as SVG bars, and a table of the numbers"),
      "204": empty("the room has no statistics: it never opted in (no panel)"),
      "400": error,
      ...keyed,
      ...limited,
      "503": error,
    }, { parameters: [teamRoom] }),
  },
  // Another room than the others' examples: claiming it makes the rest of its routes answer 401 without the key.
  "/api/rooms/{room}/owner": {
    post: operation("claim the room: its key is answered once, and from then on changes need it", { "201": data("the room's owner, with its key", "Owner"), "400": error, "403": error, "409": error, ...limited }, {
      parameters: [ownedRoom],
      requestBody: optionalBody({ private: false }, privacyBody),
    }),
    get: operation("whether the room is claimed and private; with the key (a page checks one this way)", { "200": data("the room's owner", "Owner"), ...keyed, ...limited }, { parameters: [ownedRoom] }),
    put: operation("make the room private (reading needs the key too) or public", { "200": data("the room's owner", "Owner"), ...write, "409": error }, {
      parameters: [ownedRoom],
      requestBody: body({ private: true }, privacyBody),
    }),
    delete: operation("release the room: anyone can change it again", { "200": data("the room's owner", "Owner"), ...write }, { parameters: [ownedRoom] }),
  },
  "/api/rooms/{room}/owner/key": {
    post: operation("rotate the key: the old one stops working at once", { "200": data("the room's owner, with its new key", "Owner"), ...write, "409": error }, { parameters: [ownedRoom] }),
  },
  "/api/rooms/{room}/hooks": {
    get: operation("the room's webhooks, URLs and secrets masked", { "200": data("the hooks", "Hooks"), "400": error, ...keyed, ...limited, "503": error }, { parameters: [room] }),
    post: operation("add a webhook; the answer shows its secret whole, once", { "201": data("the hook, and its secret", "NewHook"), ...write, "503": error }, {
      parameters: [room],
      requestBody: body({ format: "slack", url: "https://hooks.slack.com/services/T000/B000/XXXX", events: ["time-up", "goal-set"] }, newHookBody),
    }),
  },
  "/api/rooms/{room}/hooks/{id}": {
    delete: operation("remove a webhook", { "200": data("the hooks left", "Hooks"), "404": error, ...write }, { parameters: [room, hookId] }),
  },
  "/api/rooms/{room}/hooks/{id}/resume": {
    post: operation("send to a paused webhook again, its failures forgotten", { "200": data("the hooks", "Hooks"), "404": error, ...write }, { parameters: [room, hookId] }),
  },
  "/api/rooms/{room}/hooks/{id}/test": {
    post: operation("send a webhook a test message now, and say how it went", { "200": data("whether it arrived", "HookTest"), "404": error, ...write }, { parameters: [room, hookId] }),
  },
  "/{room}": {
    get: operation("the room's page", { "200": page("the room"), "404": page("no room can have that name") }, { parameters: [room] }),
    put: operation("start a timer or break (the mob CLI)", { "202": cliLine("started"), "400": error, ...keyed, "413": error, ...limited }, {
      parameters: [room],
      requestBody: body({ timer: 10, user: "alice" }, timerBody),
    }),
  },
  "/{room}/events": {
    get: operation("the room's event stream", { "200": roomEvents, "400": error, ...keyed, ...limited }, { parameters: [room, user] }),
  },
  "/{room}/ws": {
    get: operation("the room's WebSocket: the stream's events as JSON messages (SocketMessage), and commands (SocketCommand), each answered by a SocketReply", { "101": empty("switched to WebSocket"), "400": error, ...keyed, "403": error, "426": error, ...limited }, {
      parameters: [room, { name: "since", in: "query", required: false, schema: { type: "integer", minimum: 0 }, description: "resume after this seq" }, user],
    }),
  },
  "/{room}/goal": {
    get: operation("the goal", { "200": data("the goal", "Goal"), "204": empty("no goal"), "400": error, ...keyed, ...limited }, { parameters: [room] }),
    put: operation("set the goal (the web page)", { "202": cliLine("set"), "400": error, ...keyed, "413": error, ...limited }, { parameters: [room], requestBody: body({ goal: "ship it", user: "alice" }, goalBody) }),
    delete: operation("delete the goal", { "202": empty("deleted, or there was none"), "400": error, ...keyed, ...limited }, { parameters: [room], requestBody: optionalBody({ user: "alice" }, userBody) }),
  },
  "/assets/{file}": {
    get: operation("a script, style or icon of the pages, under its hashed name", { "200": { description: "the file" }, "404": page("no such file") }, {
      parameters: [{ name: "file", in: "path", required: true, example: "missing.css", schema: { type: "string" } }],
    }),
  },
};

const components = {
  schemas: {
    ...liveSchemas,
    ...statsSchemas,
    NewHook: { type: "object", required: ["hook", "secret"], properties: { hook: { $ref: "#/components/schemas/Hook" }, secret: { type: ["string", "null"], description: "the whole secret, shown this once" } } },
    NewTarget: { type: "object", required: ["target", "secret"], properties: { target: { $ref: "#/components/schemas/PersonalTarget" }, secret: { type: ["string", "null"], description: "the whole secret, shown this once" } } },
    HookTest: { type: "object", required: ["delivered"], properties: { delivered: { type: "boolean" }, status: { type: "integer" }, error: { type: "string" } } },
    Error: {
      type: "object",
      required: ["error"],
      properties: { error: { type: "string" } },
      description: "Every refusal of the server is listed in x-error-codes: its code (in logs and metrics), its status, and its message, where {name} stands for a value the message names.",
      "x-error-codes": errorCatalog(),
    },
    Goal: { type: "object", required: ["goal"], properties: { goal: { type: "string" } } },
    Owner: {
      type: "object",
      required: ["room", "claimed", "private", "since"],
      properties: {
        room: { type: "string" },
        claimed: { type: "boolean" },
        private: { type: "boolean" },
        since: { type: ["string", "null"], format: "date-time" },
        key: { type: "string", description: "only when claimed or rotated: said once, never stored (the server keeps a slow hash)" },
      },
    },
    Health: {
      type: "object",
      properties: {
        status: { enum: ["ok", "unavailable"] },
        storage: {
          type: "object",
          properties: { kind: { type: "string" }, status: { enum: ["ok", "failing", "starting"], description: "starting: the store is busy with the start's look at stored rooms, not failing" } },
        },
      },
    },
    Room: {
      type: "object",
      required: ["room", "seq", "current", "history", "goal"],
      properties: {
        room: { type: "string" },
        seq: { type: "integer", description: "the room's number of changes; the ETag" },
        current: { oneOf: [{ type: "null" }, { $ref: "#/components/schemas/CurrentTimer" }] },
        history: { type: "array", items: { $ref: "#/components/schemas/TimerRequest" }, description: "oldest first, the current timer last" },
        goal: { $ref: "#/components/schemas/GoalState" },
        team: {
          type: "object",
          description: "only in a room with a roster or a cadence",
          required: ["roster", "cadence", "next", "work", "breakDue"],
          properties: {
            roster: { oneOf: [{ type: "null" }, { $ref: "#/components/schemas/Roster" }] },
            cadence: { oneOf: [{ type: "null" }, { $ref: "#/components/schemas/Cadence" }] },
            next: { type: ["string", "null"], description: "who takes the next turn now" },
            work: { type: "object", required: ["turns", "minutes"], properties: { turns: { type: "integer" }, minutes: { type: "integer" } }, description: "since the latest break" },
            breakDue: { type: "boolean" },
          },
        },
        here: { $ref: "#/components/schemas/Here", description: "only in a room with a roster or a cadence" },
      },
    },
  },
  securitySchemes: {
    basic: { type: "http", scheme: "basic", description: "the server's password, on every request, when it sets AUTH_USER and AUTH_PASSWORD; otherwise a claimed room's key may be the password (any user name), as the mob CLI sends it" },
    roomKey: { type: "apiKey", in: "header", name: "X-Room-Key", description: "the key of a room its team claimed: 43 characters of base64url (A-Z, a-z, 0-9, - and _), safe in a URL unchanged" },
  },
};

/** Each operation with its operationId, tags and security (openapi-operations.ts). */
function withOperationFields(documented: Record<string, Record<string, Schema>>) {
  return Object.fromEntries(
    Object.entries(documented).map(([path, operations]) => [
      path,
      Object.fromEntries(Object.entries(operations).map(([method, fields]) => [method, { ...operationFields(method, path), ...fields }])),
    ]),
  );
}

/** The document, with the server's public URL. */
export function openApi(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: { title: "mob-timer", version: "1", description: "timer.mob.sh's routes, and a JSON API, long-poll and WebSocket rooms for integrations" },
    servers: [{ url: serverUrl }],
    tags: TAGS,
    paths: withOperationFields(paths),
    components,
  };
}
