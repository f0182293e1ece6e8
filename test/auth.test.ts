// HTTP Basic authentication, as the mob CLI sends it from MOB_TIMER_URL=https://user:pass@host/.
import { expect, test } from "bun:test";
import { inProcess, startServer } from "./helpers.ts";

const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
});

test("without credentials every route answers 401 with a Basic challenge, and nothing changes", async () => {
  await using s = await inProcess({ authUser: "mob", authPassword: "s3cret" });
  for (const [method, path] of [["GET", "/"], ["GET", "/room"], ["PUT", "/room"], ["GET", "/room/events"], ["GET", "/api/health"], ["GET", "/nope/x/y"]] as const) {
    const response = await s.fetch(path, { method, body: method === "PUT" ? '{"timer":5}' : undefined });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Basic realm="mob-timer", charset="UTF-8"');
  }
  expect((await s.app.rooms.count())).toBe(0);
});

test.each([
  ["a wrong password", basic("mob", "guess")],
  ["a wrong user", basic("bob", "s3cret")],
  ["a longer password", basic("mob", "s3cret!")],
  ["a malformed header", { Authorization: "Basic !!!" }],
  ["another scheme", { Authorization: "Bearer s3cret" }],
])("%s is refused", async (_, headers) => {
  await using s = await inProcess({ authUser: "mob", authPassword: "s3cret" });
  const response = await s.fetch("/room", { method: "PUT", headers, body: '{"timer":5}' });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ error: "this server needs a user name and password" });
});

test("the right credentials pass, in a header or in the URL as the CLI gives them", async () => {
  // Over a socket: the URL's user and password become a header in the client, as in the CLI.
  await using s = await startServer({ authUser: "mob", authPassword: "s3:cr€t" });
  const inHeader = await fetch(`${s.url}/room`, { method: "PUT", headers: basic("mob", "s3:cr€t"), body: '{"timer":5}' });
  expect(inHeader.status).toBe(202);
  const withUserInfo = s.url.replace("http://", `http://mob:${encodeURIComponent("s3:cr€t")}@`);
  const inUrl = await fetch(`${withUserInfo}/room`, { method: "PUT", body: '{"timer":5}' });
  expect(inUrl.status).toBe(202);
  expect(s.app.rooms.find("room")!.history.length).toBe(2);
});

test("browsers get a page with the challenge so that they prompt", async () => {
  await using s = await inProcess({ authUser: "mob", authPassword: "s3cret" });
  const response = await s.fetch("/", { headers: { Accept: "text/html" } });
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toContain("Basic");
});
