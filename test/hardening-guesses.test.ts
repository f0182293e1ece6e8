// Password guessing (issue 10, item 8): slowed down, then refused per address, with one log
// line per address per minute instead of one per try, and counted in the metrics.
import { expect, test } from "bun:test";
import type { LogFields, Logger } from "../lib/base/log.ts";
import { ManualClock, startServer } from "./helpers.ts";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const GOOD = basic("mob", "s3cret");

function recordingLogger(): Logger & { lines: { level: string; message: string; fields: LogFields }[] } {
  const lines: { level: string; message: string; fields: LogFields }[] = [];
  return { lines, log: (level, message, fields = {}) => lines.push({ level, message, fields }), flush() {} };
}

async function setUp(authFailures = 3) {
  const clock = new ManualClock();
  const logger = recordingLogger();
  const s = await startServer({ authUser: "mob", authPassword: "s3cret", authFailures, trustProxy: true }, { clock, logger });
  const put = (authorization: string, address = "10.0.0.1") =>
    fetch(`${s.url}/r`, { method: "PUT", headers: { Authorization: authorization, "X-Forwarded-For": address }, body: '{"timer":5}' });
  return { s, clock, logger, put };
}

test("after the allowed wrong passwords, an address is locked out, for longer each time, even with the right one", async () => {
  const { s, clock, put } = await setUp(3);
  await using _ = s;
  for (let i = 0; i < 4; i++) expect((await put(basic("mob", `guess${i}`))).status).toBe(401);
  const locked = await put(GOOD);
  expect(locked.status).toBe(429);
  expect(locked.headers.get("retry-after")).toBe("1");
  expect(await locked.json()).toEqual({ error: "too many wrong passwords from your address; try again later" });
  expect((await put(GOOD, "10.0.0.2")).status).toBe(202);

  clock.advance(1000);
  expect((await put(basic("mob", "guess4"))).status).toBe(401);
  expect((await put(GOOD)).headers.get("retry-after")).toBe("2");
  clock.advance(2000);
  expect((await put(basic("mob", "guess5"))).status).toBe(401);
  expect((await put(GOOD)).headers.get("retry-after")).toBe("4");
  clock.advance(4000);
  expect((await put(GOOD)).status).toBe(202);
  expect(s.app.rooms.find("r")!.history.length).toBe(2);
});

test("a request without credentials, as a browser's first, is not a guess", async () => {
  const { s, put } = await setUp(1);
  await using _ = s;
  for (let i = 0; i < 5; i++) expect((await fetch(`${s.url}/r/goal`, { headers: { "X-Forwarded-For": "10.0.0.1" } })).status).toBe(401);
  expect((await put(GOOD)).status).toBe(202);
});

test("an address's wrong passwords are forgotten after 15 quiet minutes", async () => {
  const { s, clock, put } = await setUp(2);
  await using _ = s;
  for (let i = 0; i < 3; i++) await put(basic("mob", "guess"));
  clock.advance(15 * 60_000);
  for (let i = 0; i < 2; i++) expect((await put(basic("mob", "guess"))).status).toBe(401);
  expect((await put(GOOD)).status).toBe(202);
});

test("a flood of wrong passwords writes one line per address per minute, and refused guesses are counted", async () => {
  const { s, clock, logger, put } = await setUp(3);
  await using _ = s;
  for (let i = 0; i < 50; i++) await put(basic("mob", `guess${i}`));
  const rejections = () => logger.lines.filter((l) => l.fields.client === "10.0.0.1");
  expect(rejections().length).toBe(1);
  expect(rejections()[0]).toMatchObject({ level: "warn", message: "request rejected", fields: { status: 401 } });

  clock.advance(60_000);
  await put(basic("mob", "again"));
  expect(rejections().length).toBe(2);
  expect(rejections()[1]).toMatchObject({
    message: "requests rejected",
    fields: { client: "10.0.0.1", count: 50, reasons: "unauthorized:4,auth_guesses:46" },
  });
  const metrics = await (await fetch(`${s.url}/api/metrics`, { headers: { Authorization: GOOD } })).text();
  expect(metrics).toContain('mobtimer_rejected_requests_total{limit="auth_guesses"} 46');
  expect(metrics).toContain('mobtimer_rejected_requests_total{limit="unauthorized"} 5');
});
