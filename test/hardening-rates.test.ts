// Reads and stream opens per client address (issue 10, items 9 and 3): room names cannot be
// probed by the thousand, a stream cannot be re-opened in a loop, and pages keep working.
import { expect, test } from "bun:test";
import { EventReader, ManualClock, startServer } from "./helpers.ts";

const from = (address: string) => ({ "X-Forwarded-For": address });

test("reads beyond the per-address rate get 429 with Retry-After; others read on; it recovers", async () => {
  const clock = new ManualClock();
  await using s = await startServer({ readsPerMinute: 4, trustProxy: true }, { clock });
  const read = (path: string, address = "10.0.0.1") => fetch(`${s.url}${path}`, { headers: from(address) });
  for (const name of ["a", "b", "c", "d"]) expect((await read(`/${name}/goal`)).status).toBe(204);
  const refused = await read("/e/goal");
  expect(refused.status).toBe(429);
  expect(refused.headers.get("retry-after")).toBe("15");
  expect(await refused.json()).toEqual({ error: "too many reads from your address; at most 4 a minute" });
  expect((await read("/help")).status).toBe(429);
  expect((await read("/e/goal", "10.0.0.2")).status).toBe(204);
  clock.advance(15_000);
  expect((await read("/e/goal")).status).toBe(204);
  expect(await (await fetch(`${s.url}/api/metrics`, { headers: from("10.0.0.3") })).text()).toContain(
    'mobtimer_rejected_requests_total{limit="read_rate"} 2',
  );
});

test("a page's event stream and assets do not spend reads", async () => {
  await using s = await startServer({ readsPerMinute: 1, trustProxy: true });
  const page = await (await fetch(`${s.url}/our-room`, { headers: from("10.0.0.1") })).text();
  const assets = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThan(1);
  for (const asset of assets) expect((await fetch(`${s.url}${asset}`, { headers: from("10.0.0.1") })).status).toBe(200);
  await using events = await EventReader.open(`${s.url}/our-room/events`, from("10.0.0.1"));
  expect(events.response.status).toBe(200);
});

test("opening streams beyond the per-address rate gets 429, even when each was closed again", async () => {
  const clock = new ManualClock();
  await using s = await startServer({ streamOpensPerMinute: 3, trustProxy: true }, { clock });
  for (let i = 0; i < 3; i++) {
    const events = await EventReader.open(`${s.url}/r/events`, from("10.0.0.1"));
    await events.replay();
    events.close();
  }
  const refused = await fetch(`${s.url}/events`, { headers: from("10.0.0.1") });
  expect(refused.status).toBe(429);
  expect(refused.headers.get("retry-after")).toBe("20");
  expect(await refused.json()).toEqual({ error: "too many event streams opened from your address; at most 3 a minute" });
  // Reads and other addresses are not affected.
  expect((await fetch(`${s.url}/r/goal`, { headers: from("10.0.0.1") })).status).toBe(204);
  await using other = await EventReader.open(`${s.url}/r/events`, from("10.0.0.2"));
  expect(other.response.status).toBe(200);
  clock.advance(20_000);
  await using again = await EventReader.open(`${s.url}/r/events`, from("10.0.0.1"));
  expect(again.response.status).toBe(200);
});
