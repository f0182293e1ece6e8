// The whole protocol suite against two instances on one Redis behind a real round-robin
// proxy (nginx, no sticky sessions): every request, stream and reconnect may reach either
// instance, and a client must not be able to tell.
import { describe } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { startServer } from "./helpers.ts";
import { nginxInstalled, startProxy } from "./nginx.ts";
import { protocolSuite, type StartTarget } from "./protocol-suite.ts";
import { redisInstalled, sharedRedis } from "./redis-server.ts";

describe.skipIf(!redisInstalled || !nginxInstalled)("through a round-robin proxy over two instances on one Redis", () => {
  const redis = sharedRedis();
  let services = 0;

  const start: StartTarget = async (overrides = {}, options = {}) => {
    // A service of its own per test, as the suite's one-server runs have: its own keys in the shared Redis.
    const prefix = `protocol-${++services}:`;
    const clock = options.clock ?? systemClock;
    const instance = async () =>
      startServer({ redisUrl: redis().url, ...overrides }, { clock, store: await RedisStore.open(redis().url, clock, silentLogger, { prefix }) });
    const a = await instance();
    const b = await instance();
    const proxy = await startProxy([a.server.url.host, b.server.url.host]);
    const close = async () => {
      await proxy[Symbol.asyncDispose]();
      await Promise.all([a.close(), b.close()]);
    };
    return {
      url: proxy.url,
      proxied: true,
      put: (path, body) => fetch(`${proxy.url}${path}`, { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) }),
      [Symbol.asyncDispose]: close,
    };
  };

  protocolSuite(start);
});
