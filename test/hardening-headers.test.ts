// Headers that keep browsers and caches from misreading answers (issue 10, item 13).
import { expect, test } from "bun:test";
import { inProcess } from "./helpers.ts";

test("JSON answers, errors included, tell browsers not to sniff another type", async () => {
  await using s = await inProcess();
  await s.put("/r/goal", { goal: "ship it" });
  for (const [method, path, body] of [["GET", "/r/goal"], ["GET", "/api/health"], ["PUT", "/r", "{"], ["GET", "/nope/x/y"]] as const) {
    const response = await s.fetch(path, { method, body });
    expect(response.headers.get("content-type")).toStartWith("application/json");
    expect(response.headers.get("x-content-type-options"), `${method} ${path}`).toBe("nosniff");
  }
});

test("a room's goal is never stored by a cache, with or without a goal", async () => {
  await using s = await inProcess();
  expect((await s.fetch("/r/goal")).headers.get("cache-control")).toBe("no-store");
  await s.put("/r/goal", { goal: "ship it" });
  expect((await s.fetch("/r/goal")).headers.get("cache-control")).toBe("no-store");
});

test("pages are revalidated on every visit and kept out of shared caches", async () => {
  await using s = await inProcess();
  for (const path of ["/", "/help", "/stats", "/our-room", "/bad!name"]) {
    const response = await s.fetch(path, { headers: { Accept: "text/html" } });
    expect(response.headers.get("content-type")).toStartWith("text/html");
    expect(response.headers.get("cache-control"), path).toBe("private, no-cache");
  }
});
