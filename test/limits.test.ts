// Each limit is hit, answered clearly, kept to the client that hit it, and recovered from.
// Limits per address run over a socket, whose peer may forward a client's address.
import { describe, expect, test } from "bun:test";
import { EventReader, ManualClock, eventually, inProcess, startServer } from "./helpers.ts";

/** Requests from a chosen client address: the server trusts X-Forwarded-For in these tests. */
function from(address: string): Record<string, string> {
  return { "X-Forwarded-For": address };
}

describe("writes per client address", () => {
  test("a client over the limit gets 429 with Retry-After, others go on, and it recovers", async () => {
    const clock = new ManualClock();
    await using s = await startServer({ writesPerMinute: 3, trustProxy: true }, { clock });
    const put = (address: string) =>
      fetch(`${s.url}/r`, { method: "PUT", headers: from(address), body: '{"timer":5}' });

    for (let i = 0; i < 3; i++) expect((await put("10.0.0.1")).status).toBe(202);
    const refused = await put("10.0.0.1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("20");
    expect((await refused.json()).error).toBe("too many changes from your address; at most 3 a minute");
    expect(s.app.rooms.find("r")!.history.length).toBe(3);

    expect((await put("10.0.0.2")).status).toBe(202);

    clock.advance(20_000);
    expect((await put("10.0.0.1")).status).toBe(202);
    expect((await put("10.0.0.1")).status).toBe(429);
  });

  test("reading is not limited", async () => {
    await using s = await inProcess({ writesPerMinute: 1 });
    for (let i = 0; i < 5; i++) expect((await s.fetch("/r/goal")).status).toBe(204);
  });
});

describe("event streams", () => {
  test("a client over its stream limit gets 429; others connect; closing one frees a place", async () => {
    await using s = await startServer({ maxStreamsPerClient: 2, trustProxy: true });
    const a1 = await EventReader.open(`${s.url}/r/events`, from("10.0.0.1"));
    await using a2 = await EventReader.open(`${s.url}/events`, from("10.0.0.1"));
    const refused = await fetch(`${s.url}/r/events`, { headers: from("10.0.0.1") });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(await refused.json()).toEqual({ error: "too many open event streams from your address; at most 2" });

    await using b = await EventReader.open(`${s.url}/r/events`, from("10.0.0.2"));
    expect(b.response.status).toBe(200);

    a1.close();
    await eventually(() => s.app.fanout.listeners("r") === 1);
    await using again = await EventReader.open(`${s.url}/r/events`, from("10.0.0.1"));
    expect(again.response.status).toBe(200);
    expect(a2.response.status).toBe(200);
  });

  test("the server refuses streams beyond its total and takes them again when one ends", async () => {
    await using s = await startServer({ maxStreams: 2, trustProxy: true });
    const first = await EventReader.open(`${s.url}/r/events`, from("10.0.0.1"));
    await using second = await EventReader.open(`${s.url}/r/events`, from("10.0.0.2"));
    const refused = await fetch(`${s.url}/r/events`, { headers: from("10.0.0.3") });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: "the server holds its maximum of 2 event streams" });
    first.close();
    await eventually(() => s.app.fanout.size === 1);
    await using third = await EventReader.open(`${s.url}/r/events`, from("10.0.0.3"));
    expect(third.response.status).toBe(200);
    expect(second.response.status).toBe(200);
  });
});

describe("rooms", () => {
  test("a new room beyond the limit gets 429, existing rooms work, and a forgotten room frees a place", async () => {
    const clock = new ManualClock();
    await using s = await inProcess({ maxRooms: 2, sweepMs: 20 }, { clock });
    expect((await s.put("/one", { timer: 5 })).status).toBe(202);
    expect((await s.put("/two/goal", { goal: "g" })).status).toBe(202);
    const refused = await s.put("/three", { timer: 5 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(await s.app.rooms.has("three")).toBe(false);
    expect((await s.put("/one", { timer: 10 })).status).toBe(202);

    // A deleted goal is remembered (who deleted it, and when) for as long as history is kept.
    await s.fetch("/two/goal", { method: "DELETE" });
    expect((await s.put("/three", { timer: 5 })).status).toBe(429);
    clock.advance(25 * 60 * 60_000);
    await eventually(async () => (await s.app.rooms.count()) < 2);
    expect((await s.put("/three", { timer: 5 })).status).toBe(202);
  });
});

describe("metrics", () => {
  test("count requests by route and status, rejections by limit, and storage time", async () => {
    await using s = await inProcess({ writesPerMinute: 1 });
    await s.put("/m", { timer: 5 });
    await s.put("/m", { timer: 5 });
    await using events = await EventReader.open("/m/events", {}, s.fetch);
    await events.replay();
    const text = await (await s.fetch("/api/metrics")).text();
    expect(text).toContain('mobtimer_http_requests_total{route="/:room",method="PUT",status="202"} 1');
    expect(text).toContain('mobtimer_http_requests_total{route="/:room",method="PUT",status="429"} 1');
    expect(text).toContain('mobtimer_rejected_requests_total{limit="write_rate"} 1');
    expect(text).toContain("mobtimer_listeners 1");
    expect(text).toContain("mobtimer_rooms 1");
    expect(text).toContain("mobtimer_running_timers 1");
    expect(text).toMatch(/mobtimer_storage_seconds_count\{operation="saveTimer"\} 1/);
    expect(text).toContain("# TYPE mobtimer_events_sent_total counter");
  });
});
