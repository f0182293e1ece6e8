// GET /api/openapi.json against the server: every route of the table is documented, every
// documented operation is in the table, and each one, sent its example request, answers
// with a status and a media type the document names.
import { expect, test } from "bun:test";
import { OPERATIONS, type Access } from "../lib/http/openapi-operations.ts";
import { routes, type Handlers } from "../lib/http/routes.ts";
import type { Handler } from "../lib/http/router.ts";
import { EventReader, eventually, inProcess, ManualClock, startServer, type Answering, type TestServer } from "./helpers.ts";
import { schemaProblems } from "./json-schema.ts";
import { Client, wsUrl, type Message } from "./ws-client.ts";

interface Operation {
  operationId: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; example?: string }[];
  requestBody?: { required: boolean; content: Record<string, { example: unknown }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Record<string, unknown>> } };

/** The route table as `METHOD /path/{param}` → the gate in front of it, from the table itself (handlers are not called). */
function tableAccess(): Map<string, Access> {
  const gates = new Map<Handler, Access>();
  const gate = (access: Access) => () => {
    const handler: Handler = () => new Response();
    gates.set(handler, access);
    return handler;
  };
  const access = { member: gate("member"), viewer: gate("viewer") };
  const anything = new Proxy({}, { get: (_, part) => (part === "access" ? access : new Proxy({}, { get: () => () => new Response() })) }) as Handlers;
  const table = routes(anything);
  return new Map(table.map((r) => [`${r.method} ${r.pattern.replace(/:(\w+)/g, "{$1}")}`, gates.get(r.handler) ?? "open"]));
}

function tableRoutes(): string[] {
  return [...tableAccess().keys()];
}

async function document(s: Answering): Promise<Document> {
  const res = await s.fetch("/api/openapi.json");
  expect(res.status).toBe(200);
  return res.json();
}

function documented(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

test("the document is OpenAPI 3.1 and names exactly the routes of the table", async () => {
  await using s = await inProcess();
  const doc = await document(s);
  expect(doc.openapi).toStartWith("3.1");
  expect(documented(doc).sort()).toEqual(tableRoutes().sort());
});

test("every documented operation, sent its example, answers as the document says", async () => {
  await using s = await inProcess();
  const doc = await document(s);
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      let path = template;
      for (const p of operation.parameters ?? []) if (p.in === "path") path = path.replace(`{${p.name}}`, p.example!);
      const [type, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      const body = media === undefined ? undefined : typeof media.example === "string" ? media.example : JSON.stringify(media.example);
      const controller = new AbortController();
      const res = await s.fetch(path, {
        method: method.toUpperCase(),
        body,
        headers: type ? { "Content-Type": type } : {},
        redirect: "manual",
        signal: controller.signal,
      });
      const name = `${method.toUpperCase()} ${template}`;
      const answer = operation.responses[String(res.status)];
      expect(answer, `${name} answered ${res.status}, not among ${Object.keys(operation.responses)}`).toBeDefined();
      const contentType = res.headers.get("content-type")?.split(";")[0] ?? null;
      // The original's 202 is empty outside a team's room, and one text/plain line in one.
      const mayBeEmpty = answer!.content !== undefined && Object.keys(answer!.content).join() === "text/plain";
      if (answer!.content && !(mayBeEmpty && contentType === null)) expect(Object.keys(answer!.content), `${name} ${res.status} answered ${contentType}`).toContain(contentType!);
      else expect(await res.text(), `${name} ${res.status} has no body`).toBe("");
      controller.abort();
    }
  }
});

test("each operation has a unique operationId, a tag, and the credentials its route's gate takes", async () => {
  await using s = await inProcess();
  const doc = await document(s);
  const access = tableAccess();
  const ids = new Set<string>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${path}`;
      expect(OPERATIONS[name]?.access, name).toBe(access.get(name)!);
      expect(ids.has(operation.operationId), `${name}: ${operation.operationId} twice`).toBe(false);
      ids.add(operation.operationId);
      expect(operation.tags, name).toHaveLength(1);
      const schemes = operation.security.map((alternative) => Object.keys(alternative).sort().join("+"));
      // `basic` goes with every request when the server sets a password; a room's key only where a gate reads it.
      expect(schemes, name).toContain("basic");
      expect(schemes.includes("roomKey"), name).toBe(access.get(name) !== "open");
      expect(schemes, `${name}: a room nobody claimed, or a server without a password, needs nothing`).toContain("");
    }
  }
});

test("bodies the server reads only when present are optional, and the routes answer without one", async () => {
  await using s = await inProcess();
  const doc = await document(s);
  const optional = ["DELETE /api/rooms/{room}/roster", "DELETE /api/rooms/{room}/goal", "DELETE /{room}/goal", "POST /api/rooms/{room}/owner"];
  for (const name of optional) {
    const [method, path] = name.split(" ") as [string, string];
    expect(doc.paths[path]![method.toLowerCase()]!.requestBody!.required, name).toBe(false);
    const res = await s.fetch(path.replace("{room}", "no-body"), { method });
    expect(res.status, name).toBeLessThan(300);
  }
});

test("PUT /{room} and PUT /{room}/goal in a team's room answer the text/plain line the document names", async () => {
  await using s = await inProcess();
  const doc = await document(s);
  await s.fetch("/api/rooms/our-mob/roster", { method: "POST", body: JSON.stringify({ action: "add", name: "bob" }) });
  for (const [path, body] of [["/{room}", { timer: 10, user: "alice" }], ["/{room}/goal", { goal: "ship it", user: "alice" }]] as const) {
    const res = await s.put(path.replace("{room}", "our-mob"), body);
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toStartWith("text/plain");
    expect(await res.text()).toEndWith("\n");
    expect(Object.keys(doc.paths[path]!.put!.responses["202"]!.content!)).toEqual(["text/plain"]);
  }
});

/** Every event name a room's listeners can get, and the steps that make each happen. */
async function everyEvent(s: TestServer, clock: ManualClock): Promise<void> {
  await s.put("/live", { timer: 1, user: "alice" });
  await s.put("/live/goal", { goal: "ship it", user: "alice" });
  await fetch(`${s.url}/live/goal`, { method: "DELETE", body: JSON.stringify({ user: "bob" }) });
  await fetch(`${s.url}/api/rooms/live/roster`, { method: "POST", body: JSON.stringify({ action: "add", name: "bob", role: "typist" }) });
  await fetch(`${s.url}/api/rooms/live/cadence`, { method: "PUT", body: JSON.stringify({ turns: 4, minutes: null }) });
  await fetch(`${s.url}/api/rooms/live/hooks`, { method: "POST", body: JSON.stringify({ format: "json", url: "http://127.0.0.1:9/in", events: ["time-up"] }) });
  // The time-up job sees the one-minute timer end.
  clock.advance(61_000);
  const { key } = (await (await fetch(`${s.url}/api/rooms/live/owner`, { method: "POST" })).json()) as { key: string };
  // Listeners without the key now hear of a hook change as the summary.
  await fetch(`${s.url}/api/rooms/live/hooks`, { method: "POST", headers: { "X-Room-Key": key }, body: JSON.stringify({ format: "slack", url: "http://127.0.0.1:9/slack" }) });
}

test("every event and frame a real server sends fits its schema in the document, on the event stream and the WebSocket", async () => {
  const clock = new ManualClock();
  await using s = await startServer({ keepAliveMs: 1000, timeUpMs: 1000, webhookAllowPrivate: true }, { clock });
  const doc = await document(s);
  const schemas = doc.components.schemas;
  const fits = (schema: string, value: unknown) => expect(schemaProblems(doc, schemas[schema]!, value), `${schema}: ${JSON.stringify(value)}`).toEqual([]);
  // Listeners who say who they are: the room, once a team's, tells who is here.
  await using stream = await EventReader.open(`${s.url}/live/events?user=dana`);
  await using socket = await Client.open(wsUrl(s, "/live/ws?user=erin"));
  socket.send({ type: "timer", minutes: 5, user: "carol", ref: 1 });
  socket.send({ type: "ping", ref: "p" });
  socket.send({ type: "nonsense", ref: 2 });
  await eventually(() => socket.received.filter((f) => !("event" in f)).length === 3);
  await everyEvent(s, clock);

  const names = ["INITIAL_HISTORY", "TIMER_REQUEST", "GOAL_REQUEST", "KEEP_ALIVE", "TEAM_UPDATE", "TIME_UP", "HOOKS_UPDATE", "HERE_UPDATE", "ROOM_OWNER"];
  // Both hook changes, the team's and the one heard without the key, come last.
  const heardAll = (heard: { event?: string }[]) => names.every((name) => heard.some((e) => e.event === name)) && heard.filter((e) => e.event === "HOOKS_UPDATE").length === 2;
  await eventually(() => heardAll(stream.received) && heardAll(socket.received), 5000);

  for (const event of stream.received) fits("RoomStreamEvent", { event: event.event, ...(event.id !== undefined && { id: event.id }), data: JSON.parse(event.data) });
  const frames: Message[] = socket.received;
  for (const frame of frames) fits("event" in frame ? "SocketMessage" : "SocketReply", frame);
  expect(new Set(stream.received.map((e) => e.event))).toEqual(new Set(names));
  expect(new Set(frames.filter((f) => "event" in f).map((f) => f.event))).toEqual(new Set(names));
  expect(frames.filter((f) => !("event" in f)).map((f) => ("ok" in f ? "ok" : "error"))).toEqual(["ok", "ok", "error"]);
  // The hooks as the team saw them before the claim, and as anyone without the key after.
  const hooks = stream.received.filter((e) => e.event === "HOOKS_UPDATE").map((e) => JSON.parse(e.data).hooks);
  expect(hooks.map((list) => Object.keys(list[0]).includes("url"))).toEqual([true, false]);
});
