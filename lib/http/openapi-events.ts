// The OpenAPI document's schemas of what a room's listeners receive: each event's data (the
// same on the event stream, whose `data:` line is that JSON, and on the WebSocket), the
// WebSocket's frames both ways, and the shapes they share with the JSON API.
// test/openapi.test.ts checks what a real server sends against them.
import { HOOK_EVENTS, HOOK_FORMATS } from "../domain/settings.ts";

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ oneOf: [{ type: "null" }, schema] });
const dateTime = { type: "string", format: "date-time" };
/** An object with exactly these fields, all of them present. */
const record = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: "object",
  required: Object.keys(properties),
  properties,
  additionalProperties: false,
  ...extra,
});

export const hookEvents = { type: "array", items: { enum: [...HOOK_EVENTS] }, minItems: 1 };

const hookSummary = {
  id: { type: "string" },
  format: { enum: [...HOOK_FORMATS] },
  events: hookEvents,
  paused: { type: "boolean", description: "after deliveries in a row gave up; resume to send again" },
};

const timerFields = {
  timer: { type: "integer", description: "minutes" },
  requested: dateTime,
  user: { type: ["string", "null"] },
  nextUser: { type: ["string", "null"] },
  type: { enum: ["TIMER", "BREAKTIMER"] },
};

/** The shapes the JSON API's answers and the events share. */
const shared: Record<string, Schema> = {
  TimerRequest: record(timerFields),
  CurrentTimer: record({ ...timerFields, endsAt: dateTime, running: { type: "boolean" } }, { description: "the latest timer or break, with when it ends and whether it still runs" }),
  NoTimer: record(
    { timer: { const: 0 }, requested: { type: "null" }, user: { type: "null" }, nextUser: { type: "null" }, type: { type: "null" } },
    { description: "no timer: the room is empty, or its history expired (the page resets itself on it)" },
  ),
  GoalState: record({ goal: { type: ["string", "null"] }, user: { type: ["string", "null"] }, requested: { type: ["string", "null"], format: "date-time" } }, {
    description: "a goal; a deleted one has goal null and who deleted it when; never set: all null",
  }),
  Member: record({ name: { type: "string" }, away: { type: "boolean" }, role: { type: ["string", "null"] } }),
  Roster: {
    type: "object",
    required: ["members"],
    properties: {
      members: { type: "array", items: ref("Member") },
      skipAbsent: { const: true, description: "the rule \"pass over who is not here\" is on: a member with no live connection who made no change for an hour is passed over like one away; absent when off" },
    },
    additionalProperties: false,
  },
  Here: { type: "array", items: { type: "string" }, description: "who is here: every name with a live connection (`?user=`), kept 30 s after its last one ends; sorted" },
  Cadence: record({ turns: { type: ["integer", "null"] }, minutes: { type: ["integer", "null"] } }),
  Hook: record(
    {
      ...hookSummary,
      url: { type: "string", description: "the host, and the last four characters of the rest" },
      secret: { type: ["string", "null"], description: "its last four characters (json hooks)" },
      failures: { type: "integer", description: "deliveries in a row that gave up" },
      lastError: { type: ["string", "null"] },
    },
    { description: "as the room's team sees it: in a room nobody claimed, everyone" },
  ),
  HookSummary: record(hookSummary, { description: "as anyone without the key sees a claimed room's hook: where it sends and why it failed are for its team" }),
  Hooks: record({ hooks: { type: "array", items: { oneOf: [ref("Hook"), ref("HookSummary")] } } }),
  PersonalTarget: record(
    {
      member: { type: "string", description: "whose: told when they are next and when their turn starts" },
      id: hookSummary.id,
      format: hookSummary.format,
      url: { type: "string", description: "the host, and the last four characters of the rest" },
      secret: { type: ["string", "null"], description: "its last four characters (json targets)" },
      paused: { type: "boolean", description: "after deliveries in a row gave up; set it again to send again" },
      failures: { type: "integer", description: "deliveries in a row that gave up" },
      lastError: { type: ["string", "null"] },
    },
    { description: "a roster member's own target, as the room's team sees it: in a room nobody claimed, everyone" },
  ),
  TargetSummary: record({ member: { type: "string" }, format: hookSummary.format, paused: { type: "boolean" } }, { description: "as anyone without the key sees a claimed room's member's target" }),
  Targets: record({ targets: { type: "array", items: { oneOf: [ref("PersonalTarget"), ref("TargetSummary")] } } }),
  OwnerStatus: record({ claimed: { type: "boolean" }, private: { type: "boolean" } }),
};

/** Each event's data, by the event's name. */
const EVENT_DATA: Record<string, Schema> = {
  INITIAL_HISTORY: { type: "array", items: ref("TimerRequest"), description: "the history but its latest entry, oldest first" },
  TIMER_REQUEST: { oneOf: [ref("TimerRequest"), ref("NoTimer")] },
  GOAL_REQUEST: ref("GoalState"),
  KEEP_ALIVE: {
    oneOf: [record({ timer: { type: "null" }, requested: { type: "null" }, user: { type: "null" }, nextUser: { type: "null" }, type: { type: "null" } }), { type: "null" }],
    description: "every field null on the event stream, as the original sends it; null on the WebSocket",
  },
  TEAM_UPDATE: record({
    roster: nullable(ref("Roster")),
    cadence: nullable(ref("Cadence")),
    cause: nullable({ type: "object", required: ["type"], properties: { type: { enum: ["roster", "cadence"] }, action: { type: "string" }, user: { type: ["string", "null"] } } }),
  }, { description: "a team's room: after each edit, and once after a new listener's opening events (cause null)" }),
  TIME_UP: record({
    entry: ref("TimerRequest"),
    ended: dateTime,
    late: { type: "boolean", description: "announced only after a restart, for a timer that ended while the server was down" },
    next: { type: ["string", "null"] },
    breakDue: { type: "boolean" },
    retroDue: { const: true, description: "only there when the cadence suggests a retro: its number of full rounds were completed" },
  }, { required: ["entry", "ended", "late", "next", "breakDue"], description: "a team's room: the latest timer or break ended" }),
  HOOKS_UPDATE: ref("Hooks"),
  HERE_UPDATE: record({ here: ref("Here") }, { description: "a team's room: who is here changed (and after a new listener's opening, when anyone is); no id, as it is no change of the room" }),
  ROOM_OWNER: ref("OwnerStatus"),
};

export const EVENT_NAMES = Object.keys(EVENT_DATA);

const eventSchemas = Object.fromEntries(Object.entries(EVENT_DATA).map(([name, schema]) => [`${name}_DATA`, schema]));

/** One event of a room, whichever transport; `id` (the room's seq) on events that change it. */
const eventOf = (idType: string) => ({
  oneOf: EVENT_NAMES.map((name) => ({
    type: "object",
    required: ["event", "data"],
    properties: { event: { const: name }, id: { type: idType }, data: ref(`${name}_DATA`) },
    additionalProperties: false,
  })),
});

const socketCommand = {
  type: "object",
  required: ["type"],
  description: "what a client sends; each gets one SocketReply with the same ref",
  properties: {
    type: { enum: ["timer", "break", "goal", "deleteGoal", "ping"] },
    ref: { type: ["string", "number"], description: "echoed in the reply; a string of at most 64 characters" },
    minutes: { type: "integer", description: "timer, break" },
    goal: { type: "string", description: "goal" },
    user: { type: ["string", "null"] },
  },
};

const socketReply = {
  oneOf: [
    record({ ref: { type: ["string", "number", "null"] }, ok: { const: true }, id: { type: ["integer", "null"], description: "the change's seq; null when nothing changed, or for a ping" } }),
    record({ ref: { type: ["string", "number", "null"] }, error: { type: "string" } }),
  ],
};

export const liveSchemas: Record<string, Schema> = {
  ...shared,
  ...eventSchemas,
  RoomStreamEvent: {
    ...eventOf("string"),
    description: "an event of GET /{room}/events: its `event:` name, its `id:` line (the seq), and its `data:` line parsed as JSON",
  },
  SocketMessage: { ...eventOf("integer"), description: "a frame GET /{room}/ws sends: the stream's events as JSON" },
  SocketCommand: socketCommand,
  SocketReply: socketReply,
};
