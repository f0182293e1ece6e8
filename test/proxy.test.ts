// Behind a reverse proxy: a base path for everything, and forwarded headers only when trusted.
import { describe, expect, test } from "bun:test";
import { EventReader, startServer } from "./helpers.ts";

describe("BASE_PATH", () => {
  test("every link, asset, form action and stream of the pages stays under the base path", async () => {
    await using s = await startServer({ basePath: "/timer" });
    const origin = s.url.slice(0, -"/timer".length);
    for (const page of ["/timer/", "/timer/help", "/timer/stats", "/timer/our-room"]) {
      const response = await fetch(`${origin}${page}`);
      expect(response.status).toBe(200);
      const htmlText = await response.text();
      const urls = [...htmlText.matchAll(/(?:href|src|action|data-[a-z-]+)="(\/[^"]*)"/g)].map((m) => m[1]!);
      expect(urls.length).toBeGreaterThan(2);
      for (const url of urls) {
        expect(url.startsWith("/timer/") || url === "/timer").toBe(true);
        if (!url.includes("/events")) expect((await fetch(`${origin}${url}`)).status).toBe(200);
      }
    }
  });

  test("the API works under the base path, as MOB_TIMER_URL=https://host/timer/ makes the CLI call it", async () => {
    await using s = await startServer({ basePath: "/timer" });
    await using events = await EventReader.open(`${s.url}/team/events`);
    await events.replay();
    expect((await s.put("/team", { timer: 5, user: "alice" })).status).toBe(202);
    expect(JSON.parse((await events.next("TIMER_REQUEST")).data).user).toBe("alice");
  });

  test("outside the base path there is nothing, and the join form redirects inside it", async () => {
    await using s = await startServer({ basePath: "/timer" });
    const origin = s.url.slice(0, -"/timer".length);
    expect((await fetch(`${origin}/team`, { method: "PUT", body: '{"timer":5}' })).status).toBe(404);
    expect((await fetch(`${origin}/timerteam`, { method: "PUT", body: '{"timer":5}' })).status).toBe(404);
    const joined = await fetch(`${s.url}/`, { method: "POST", body: new URLSearchParams({ room: "team" }), redirect: "manual" });
    expect(joined.headers.get("location")).toBe("/timer/team");
  });
});

describe("TRUST_PROXY", () => {
  test("forwarded headers are ignored unless trusted", async () => {
    await using s = await startServer({ writesPerMinute: 1 });
    const put = (address: string) =>
      fetch(`${s.url}/r`, { method: "PUT", headers: { "X-Forwarded-For": address }, body: '{"timer":5}' });
    expect((await put("10.0.0.1")).status).toBe(202);
    // A client cannot escape its limit by claiming another address.
    expect((await put("10.0.0.2")).status).toBe(429);
    const page = await (await fetch(`${s.url}/help`, { headers: { "X-Forwarded-Host": "evil.example" } })).text();
    expect(page).not.toContain("evil.example");
  });

  test("when trusted, the public URL comes from X-Forwarded-Proto and -Host", async () => {
    await using s = await startServer({ trustProxy: true, allowedHosts: "timer.example.org" });
    const page = await (
      await fetch(`${s.url}/help`, { headers: { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "timer.example.org" } })
    ).text();
    expect(page).toContain("MOB_TIMER_URL=https://timer.example.org/");
  });

  test("the client address is the last X-Forwarded-For entry, the one the proxy added", async () => {
    await using s = await startServer({ trustProxy: true, writesPerMinute: 1 });
    const put = (chain: string) => fetch(`${s.url}/r`, { method: "PUT", headers: { "X-Forwarded-For": chain }, body: '{"timer":5}' });
    expect((await put("1.1.1.1, 10.0.0.9")).status).toBe(202);
    expect((await put("2.2.2.2, 10.0.0.9")).status).toBe(429);
  });
});
