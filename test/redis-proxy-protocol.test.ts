// The whole protocol suite against two instances on one Redis behind a real round-robin
// proxy (nginx, no sticky sessions): every request, stream and reconnect may reach either
// instance, and a client must not be able to tell.
import { describe } from "bun:test";
import { systemClock } from "../lib/base/clock.ts";
import { silentLogger } from "../lib/base/log.ts";
import { RedisStore } from "../lib/store/redis.ts";
import { eventually, startServer } from "./helpers.ts";
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
    const store = () => RedisStore.open(redis().url, clock, silentLogger, { prefix });
    const instance = async () => startServer({ redisUrl: redis().url, ...overrides }, { clock, store: await store() });
    const a = await instance();
    const b = await instance();
    const reader = await store();
    /**
     * Instances hear of each other's changes through Redis's feed, a few milliseconds later
     * (more on a loaded machine): a PUT returns once every instance holding the room has
     * heard of it, as the client's next request a moment later would find.
     */
    const propagated = async (path: string) => {
      const room = path.split("/")[1]!;
      const { seq } = await reader.readRoom(room);
      await eventually(() => [a, b].every((s) => (s.app.rooms.find(room)?.seq ?? seq) >= seq));
    };
    const proxy = await startProxy([a.server.url.host, b.server.url.host]);
    const close = async () => {
      await proxy[Symbol.asyncDispose]();
      await Promise.all([a.close(), b.close(), reader.close()]);
    };
    return {
      url: proxy.url,
      proxied: true,
      put: async (path, body) => {
        const res = await fetch(`${proxy.url}${path}`, { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) });
        await propagated(path);
        return res;
      },
      [Symbol.asyncDispose]: close,
    };
  };

  protocolSuite(start);
});
