// A real redis-server for a test: on a free port, in a temporary directory, with the
// durability the README recommends (append-only file, fsync on every write), so that a
// test can kill it and start it again on the same data.
import { afterAll, beforeAll } from "bun:test";
import { RedisClient } from "bun";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REDIS_SERVER = "/usr/bin/redis-server";

/** Whether the tests that need Redis can run; they are skipped, saying why, when not. */
export const redisInstalled = existsSync(REDIS_SERVER);
if (!redisInstalled) console.warn(`${REDIS_SERVER} is missing: the Redis tests are skipped (apt-get install redis-server)`);

export interface RedisServer extends AsyncDisposable {
  url: string;
  port: number;
  /** The redis-server process now (benchmarks read its CPU time). */
  readonly pid: number;
  /** Runs one command on a connection of the test's own. */
  command(name: string, ...args: string[]): Promise<unknown>;
  /** Ends the server at once, as a crash would (SIGKILL): only what reached the append-only file survives. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Stops it from answering without closing a connection (SIGSTOP), as a stuck server; resume() undoes it. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/** A port nobody listens on now. */
function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** `appendfsync`: "always" (every write on disk before Redis answers) or "everysec" (the bench compares them). */
export async function startRedis(appendfsync: "always" | "everysec" = "always"): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-redis-"));
  const port = freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ReturnType<typeof Bun.spawn> | null = null;
  let admin: RedisClient | null = null;

  const start = async () => {
    child = Bun.spawn(
      [REDIS_SERVER, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", appendfsync],
      { stdout: "ignore", stderr: "ignore" },
    );
    const deadline = Date.now() + 5000;
    for (;;) {
      const probe = new RedisClient(url, { autoReconnect: false, enableOfflineQueue: false });
      try {
        await probe.connect();
        if ((await probe.ping()) === "PONG") {
          admin = probe;
          return;
        }
      } catch {
        probe.close();
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
      await Bun.sleep(20);
    }
  };
  const kill = async () => {
    admin?.close();
    admin = null;
    if (!child) return;
    child.kill("SIGKILL");
    await child.exited;
    child = null;
  };
  const stop = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };
  await start();
  return {
    url,
    port,
    get pid() {
      return child?.pid ?? 0;
    },
    command: (name, ...args) => admin!.send(name, args),
    kill,
    start,
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** One redis-server for the tests of a describe block: started before the first, stopped after the last. */
export function sharedRedis(): () => RedisServer {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  return () => redis!;
}
