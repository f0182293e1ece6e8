// A real redis-server for a test: on a free port, in a temporary directory, with the
// durability docs/instances.md recommends (append-only file, fsync on every write), so that a
// test can kill it and start it again on the same data. Plain, or TLS only with a
// certificate from a throwaway CA, and if asked, only for clients with a certificate from it.
import { afterAll, beforeAll } from "bun:test";
import { RedisClient } from "bun";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newCertificateAuthority, newClientCertificate, newServerCertificate, type KeyPair } from "./certificates.ts";

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

export interface TlsRedisServer extends RedisServer {
  /** The PEM file of the CA that signed the server's certificate: what an operator gives as REDIS_CA_FILE. */
  caFile: string;
  /** That CA with its key, to sign more certificates. */
  ca: KeyPair;
  /** A client certificate from that CA: what an operator gives as REDIS_CERT_FILE and REDIS_KEY_FILE. */
  client: KeyPair;
  /** The same server at an address its certificate does not name. */
  urlNotInCertificate: string;
}

/** A port nobody listens on now. */
function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

type Appendfsync = "always" | "everysec";

function newDir(): string {
  return mkdtempSync(join(tmpdir(), "mob-timer-redis-"));
}

/** `appendfsync`: "always" (every write on disk before Redis answers) or "everysec" (the bench compares them). */
export function startRedis(appendfsync: Appendfsync = "always"): Promise<RedisServer> {
  return launch(newDir(), appendfsync, null);
}

/** Loopback too (Linux answers all of 127/8), but not named in a TLS server's certificate. */
const UNNAMED_ADDRESS = "127.0.0.2";

/**
 * A redis-server that speaks only TLS (rediss://), its certificate valid for 127.0.0.1 and
 * localhost. With `authClients` it accepts only clients with a certificate from its CA
 * (tls-auth-clients yes, Redis's own default), else any client.
 */
export async function startTlsRedis({ authClients = false } = {}): Promise<TlsRedisServer> {
  const dir = newDir();
  const ca = newCertificateAuthority(dir, "throwaway-ca");
  const server = newServerCertificate(dir, ca, ["IP:127.0.0.1", "DNS:localhost"]);
  const client = newClientCertificate(dir, ca, "client");
  const redis = await launch(dir, "always", { ca, server, client, authClients });
  return Object.assign(redis, { caFile: ca.certFile, ca, client, urlNotInCertificate: redis.url.replace("127.0.0.1", UNNAMED_ADDRESS) });
}

interface TlsFiles {
  ca: KeyPair;
  server: KeyPair;
  /** What the test's own connection shows, asked for or not. */
  client: KeyPair;
  authClients: boolean;
}

async function launch(dir: string, appendfsync: Appendfsync, tls: TlsFiles | null): Promise<RedisServer> {
  const port = freePort();
  const url = `${tls ? "rediss" : "redis"}://127.0.0.1:${port}`;
  // Port 0 turns the plain port off: every connection to a TLS server is TLS.
  const listen = tls
    ? ["--port", "0", "--tls-port", String(port), "--tls-cert-file", tls.server.certFile, "--tls-key-file", tls.server.keyFile, "--tls-ca-cert-file", tls.ca.certFile, "--tls-auth-clients", tls.authClients ? "yes" : "no", "--bind", "127.0.0.1", UNNAMED_ADDRESS]
    : ["--port", String(port), "--bind", "127.0.0.1"];
  const trust = tls ? { tls: { ca: readFileSync(tls.ca.certFile, "utf8"), cert: readFileSync(tls.client.certFile, "utf8"), key: readFileSync(tls.client.keyFile, "utf8") } } : {};
  let child: ReturnType<typeof Bun.spawn> | null = null;
  let admin: RedisClient | null = null;

  const start = async () => {
    child = Bun.spawn([REDIS_SERVER, ...listen, "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", appendfsync], {
      stdout: "ignore",
      stderr: "ignore",
    });
    const deadline = Date.now() + 5000;
    for (;;) {
      const probe = new RedisClient(url, { autoReconnect: false, enableOfflineQueue: false, ...trust });
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
export function sharedRedis(): () => RedisServer;
export function sharedRedis<Server extends RedisServer>(start: () => Promise<Server>): () => Server;
export function sharedRedis(start: () => Promise<RedisServer> = () => startRedis()): () => RedisServer {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await start();
  });
  afterAll(() => redis?.stop());
  return () => redis!;
}
