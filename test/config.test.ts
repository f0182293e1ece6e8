import { expect, test } from "bun:test";
import { changedSettings, ConfigError, defaultConfig, helpText, loadConfig, SETTINGS } from "../lib/config.ts";

test("defaults match the original: port 8080, 5 s keep-alive, a day of history", () => {
  expect(defaultConfig()).toMatchObject({ port: 8080, keepAliveMs: 5000, historyMs: 86_400_000, maxMinutes: 1440, maxBodyBytes: 16384 });
});

test("flags win over environment variables, which win over defaults", () => {
  const command = loadConfig({ PORT: "9000", HOST: "127.0.0.1" }, ["--port", "9100", "--public-url=https://timer.example/"]);
  expect(command.kind).toBe("serve");
  if (command.kind !== "serve") return;
  expect(command.config).toMatchObject({ port: 9100, host: "127.0.0.1", publicUrl: "https://timer.example" });
});

test.each([
  [{ PORT: "eighty" }, [], "PORT: expected a whole number from 0 to 65535"],
  [{}, ["--port", "70000"], "--port: expected a whole number from 0 to 65535"],
  [{}, ["--nope"], "unknown option --nope"],
  [{}, ["--port"], "--port needs a value"],
  [{ PUBLIC_URL: "ftp://x" }, [], "PUBLIC_URL: expected an http or https URL"],
  [{ BASE_PATH: "timer" }, [], "BASE_PATH: expected a path such as /timer"],
  [{ REDIS_URL: "http://u:secret@redis:6379" }, [], 'REDIS_URL: expected a redis:// or rediss:// (TLS) URL, got "http://u:***@redis:6379"'],
  [{ REDIS_URL: "redis:6379" }, [], "REDIS_URL: expected a host name"],
])("bad settings %j %j are refused with a reason", (env, argv, message) => {
  expect(() => loadConfig(env, argv)).toThrow(ConfigError);
  expect(() => loadConfig(env, argv)).toThrow(message);
});

test("--help lists every setting with its environment variable and default", () => {
  const command = loadConfig({}, ["--help"]);
  expect(command).toEqual({ kind: "help", text: helpText() });
  for (const setting of SETTINGS) {
    expect(helpText()).toContain(setting.env);
    expect(helpText()).toContain(setting.flag);
  }
});

test("a Redis URL is taken with or without TLS, and shown in the start line without its password", () => {
  for (const url of ["redis://127.0.0.1:6379/0", "rediss://mob:s3cr%40t@redis.example:6380/2", "redis://:s3cret@redis"]) {
    const command = loadConfig({ REDIS_URL: url }, []);
    if (command.kind !== "serve") throw new Error("not a serve command");
    expect(command.config.redisUrl).toBe(url);
    const shown = changedSettings(command.config).REDIS_URL!;
    expect(shown).not.toContain("s3c");
    expect(shown.replace(":***@", ":@")).toBe(url.replace(/:[^:/@]*@/, ":@"));
  }
});

test("watch and status are the client's commands: their options are theirs, not the server's settings", () => {
  expect(loadConfig({ PORT: "not-a-port" }, ["watch", "--no-bell", "--room", "x"])).toEqual({ kind: "client", command: "watch", argv: ["--no-bell", "--room", "x"] });
  expect(loadConfig({}, ["status"])).toEqual({ kind: "client", command: "status", argv: [] });
  expect(helpText()).toContain("mob-timer watch");
  expect(helpText()).toContain("mob-timer status");
});
