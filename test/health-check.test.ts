// `mob-timer --health-check` finds the server through the same settings it runs with.
import { expect, test } from "bun:test";
import { defaultConfig, loadConfig } from "../lib/config.ts";
import { checkHealth, healthUrl } from "../lib/cli/health-check.ts";
import { startServer } from "./helpers.ts";

test("--health-check reads every other setting as serving does", () => {
  const command = loadConfig({ PORT: "9000", AUTH_USER: "ops" }, ["--health-check", "--base-path", "/timer"]);
  expect(command.kind).toBe("health-check");
  if (command.kind !== "health-check") return;
  expect(command.config).toMatchObject({ port: 9000, basePath: "/timer", authUser: "ops" });
});

test("--version and -v ask for the version", () => {
  expect(loadConfig({}, ["--version"])).toEqual({ kind: "version" });
  expect(loadConfig({}, ["--port", "1", "-v"])).toEqual({ kind: "version" });
});

test.each([
  ["0.0.0.0", "", "http://127.0.0.1:8080/api/health"],
  ["::", "/timer", "http://127.0.0.1:8080/timer/api/health"],
  ["192.0.2.7", "", "http://192.0.2.7:8080/api/health"],
  ["::1", "", "http://[::1]:8080/api/health"],
])("a server on host %j with base path %j is checked at %s", (host, basePath, url) => {
  expect(healthUrl({ ...defaultConfig(), host, basePath })).toBe(url);
});

test("a running server under a base path and a password is healthy to a check with the same settings", async () => {
  await using server = await startServer({ basePath: "/timer", authUser: "ops", authPassword: "s3cret ü" });
  const config = { ...server.config, port: server.server.port! };
  expect(await checkHealth(config)).toEqual({ healthy: true, line: `healthy: ${healthUrl(config)} answered 200` });
  expect(await checkHealth({ ...config, authPassword: "wrong" })).toEqual({
    healthy: false,
    line: `unhealthy: ${healthUrl(config)} answered 401`,
  });
});

test("a server that answers 503 is unhealthy", async () => {
  using stub = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("{}", { status: 503 }) });
  const result = await checkHealth({ ...defaultConfig(), host: "127.0.0.1", port: stub.port! });
  expect(result).toEqual({ healthy: false, line: `unhealthy: http://127.0.0.1:${stub.port}/api/health answered 503` });
});

test("a port where nothing listens is unhealthy, with the reason on one line", async () => {
  const stub = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
  const port = stub.port!;
  await stub.stop(true);
  const result = await checkHealth({ ...defaultConfig(), host: "127.0.0.1", port });
  expect(result.healthy).toBe(false);
  expect(result.line).toStartWith(`unhealthy: http://127.0.0.1:${port}/api/health: `);
  expect(result.line).not.toContain("\n");
});
