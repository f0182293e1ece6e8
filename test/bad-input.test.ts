// Bad requests get a clear 4xx, never a 5xx, and never change anything.
import { describe, expect, test } from "bun:test";
import { EventReader, inProcess, type InProcessApp } from "./helpers.ts";

interface Scenario {
  name: string;
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  status: number;
  error: string;
}

const LONG_NAME = "r".repeat(129);

const SCENARIOS: Scenario[] = [
  { name: "a body that is not JSON", method: "PUT", path: "/room", body: "timer=10", status: 400, error: "body is not valid JSON" },
  { name: "an empty body", method: "PUT", path: "/room", body: "", status: 400, error: "body is not valid JSON" },
  { name: "a JSON array", method: "PUT", path: "/room", body: "[10]", status: 400, error: "body must be a JSON object" },
  { name: "a JSON string", method: "PUT", path: "/room", body: '"timer"', status: 400, error: "body must be a JSON object" },
  { name: "JSON null", method: "PUT", path: "/room", body: "null", status: 400, error: "body must be a JSON object" },
  { name: "neither timer nor breaktimer", method: "PUT", path: "/room", body: '{"user":"a"}', status: 400, error: 'body needs "timer" or "breaktimer" (minutes)' },
  { name: "both timer and breaktimer", method: "PUT", path: "/room", body: '{"timer":1,"breaktimer":2}', status: 400, error: 'send either "timer" or "breaktimer", not both' },
  { name: "minutes as a string", method: "PUT", path: "/room", body: '{"timer":"10"}', status: 400, error: '"timer" must be a whole number of minutes' },
  { name: "fractional minutes", method: "PUT", path: "/room", body: '{"breaktimer":2.5}', status: 400, error: '"breaktimer" must be a whole number of minutes' },
  { name: "minutes as a boolean", method: "PUT", path: "/room", body: '{"timer":true}', status: 400, error: '"timer" must be a whole number of minutes' },
  { name: "a user that is a number", method: "PUT", path: "/room", body: '{"timer":5,"user":42}', status: 400, error: '"user" must be a string or null' },
  { name: "a user of 257 characters", method: "PUT", path: "/room", body: JSON.stringify({ timer: 5, user: "u".repeat(257) }), status: 400, error: '"user" is longer than 256 characters' },
  { name: "a body over 16 KiB", method: "PUT", path: "/room", body: JSON.stringify({ timer: 5, pad: "x".repeat(16384) }), status: 413, error: "request body is larger than 16384 bytes" },
  { name: "a room name with a dot", method: "PUT", path: "/bad.name", body: '{"timer":5}', status: 400, error: 'room name may only contain letters A-Z and a-z, digits, "_" and "-"' },
  { name: "a room name with encoded characters", method: "PUT", path: "/caf%C3%A9", body: '{"timer":5}', status: 400, error: 'room name may only contain letters A-Z and a-z, digits, "_" and "-"' },
  { name: "a room name of 129 characters", method: "PUT", path: `/${LONG_NAME}`, body: '{"timer":5}', status: 400, error: "room name is longer than 128 characters" },
  { name: "a room name with a space in a stream path", method: "GET", path: "/a%20b/events", status: 400, error: 'room name may only contain letters A-Z and a-z, digits, "_" and "-"' },
  { name: "a stream for an invalid room", method: "GET", path: "/no!pe/events", status: 400, error: 'room name may only contain letters A-Z and a-z, digits, "_" and "-"' },
  { name: "a goal that is not a string", method: "PUT", path: "/room/goal", body: '{"goal":5}', status: 400, error: '"goal" must be a string' },
  { name: "a goal that is missing", method: "PUT", path: "/room/goal", body: '{"user":"a"}', status: 400, error: '"goal" must be a string' },
  { name: "a blank goal", method: "PUT", path: "/room/goal", body: '{"goal":"  "}', status: 400, error: '"goal" is empty; DELETE the goal to remove it' },
  { name: "a goal body that is not JSON", method: "PUT", path: "/room/goal", body: "{goal", status: 400, error: "body is not valid JSON" },
  { name: "a goal deletion with a broken body", method: "DELETE", path: "/room/goal", body: "{", status: 400, error: "body is not valid JSON" },
  { name: "a goal deletion by a numeric user", method: "DELETE", path: "/room/goal", body: '{"user":1}', status: 400, error: '"user" must be a string or null' },
  { name: "a goal for an invalid room", method: "PUT", path: `/${LONG_NAME}/goal`, body: '{"goal":"x"}', status: 400, error: "room name is longer than 128 characters" },
  { name: "an unknown path", method: "GET", path: "/room/nothing/here", status: 404, error: "nothing here: /room/nothing/here" },
  { name: "POST to a room", method: "POST", path: "/room", body: '{"timer":5}', status: 405, error: "POST is not allowed here; use GET, HEAD, PUT" },
  { name: "DELETE on a room's stream", method: "DELETE", path: "/room/events", status: 405, error: "DELETE is not allowed here; use GET, HEAD" },
];

/** Everything a client could observe of the server's state. */
async function observable(s: InProcessApp) {
  await using events = await EventReader.open("/room/events", {}, s.fetch);
  const replay = await events.replay();
  const goal = await s.fetch("/room/goal");
  return { replay, goal: goal.status === 200 ? await goal.json() : null, stats: (await s.app.rooms.stats()), rooms: (await s.app.rooms.count()) };
}

describe("bad input", () => {
  for (const scenario of SCENARIOS) {
    test(`${scenario.name} gets ${scenario.status} with a reason, and changes nothing`, async () => {
      await using s = await inProcess();
      await s.put("/room", { timer: 10, user: "alice" });
      await s.put("/room/goal", { goal: "keep me", user: "alice" });
      const before = await observable(s);

      const response = await s.fetch(`${scenario.path}`, {
        method: scenario.method,
        body: scenario.body,
        headers: scenario.headers,
      });
      expect(response.status).toBe(scenario.status);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(await response.json()).toEqual({ error: scenario.error });

      expect(await observable(s)).toEqual(before);
    });
  }

  test("405 answers list the allowed methods in Allow", async () => {
    await using s = await inProcess();
    const response = await s.fetch("/room/goal", { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("DELETE, GET, HEAD, PUT");
  });

  test("a body over the limit sent without a length is refused too", async () => {
    await using s = await inProcess();
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(1024)));
        controller.enqueue(new TextEncoder().encode('{"timer":5}'));
        controller.close();
      },
    });
    const response = await s.fetch("/room", { method: "PUT", body: chunks });
    expect(response.status).toBe(413);
    expect((await s.app.rooms.count())).toBe(0);
  });

  test("browsers get a readable page for unknown pages and invalid room names", async () => {
    await using s = await inProcess();
    for (const path of ["/favicon.ico", "/a/b/c"]) {
      const response = await s.fetch(path, { headers: { Accept: "text/html" } });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toContain("Not found");
    }
  });

  test("a refused room name is shown back in the form as text, never as markup", async () => {
    await using s = await inProcess();
    const room = '"><script>alert(1)</script>';
    const response = await s.fetch("/", { method: "POST", body: new URLSearchParams({ room }) });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).not.toContain("<script>alert");
  });
});

describe("the join form", () => {
  test("a valid room name redirects to its page", async () => {
    await using s = await inProcess();
    const response = await s.fetch("/", { method: "POST", body: new URLSearchParams({ room: "our-team" }), redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/our-team");
  });

  test.each([
    ["has spaces", "bad name", "room name may only contain"],
    ["is empty", "", "room name is empty"],
    ["is a page's name", "help", "is the name of a page here"],
  ])("a name that %s gets 400 with the form and the reason", async (_, room, reason) => {
    await using s = await inProcess();
    const response = await s.fetch("/", { method: "POST", body: new URLSearchParams({ room }), redirect: "manual" });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(reason);
    expect(page).toContain('<form method="post"');
    expect((await s.app.rooms.count())).toBe(0);
  });

  test("the start page offers a fresh adjective-animal-NN name", async () => {
    await using s = await inProcess();
    const page = await (await s.fetch("/")).text();
    expect(page).toMatch(/name="room" value="[a-z]+-[a-z]+-[1-9]\d"/);
  });
});
