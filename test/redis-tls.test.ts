// REDIS_URL=rediss:// against a real redis-server that speaks only TLS, its certificate from
// a throwaway CA: the server process trusts that CA when REDIS_CA_FILE names it, refuses the
// certificate otherwise and says why, and will not start on a CA file it cannot use.
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { newCertificateAuthority, opensslInstalled } from "./certificates.ts";
import { EventReader, spawnServer, tempDirs } from "./helpers.ts";
import { redisInstalled, sharedRedis, startTlsRedis } from "./redis-server.ts";

const SERVER = [process.execPath, join(import.meta.dir, "..", "server.ts")];
const tempDir = tempDirs("redis-tls");

describe.skipIf(!redisInstalled || !opensslInstalled)("Redis over TLS", () => {
  const redis = sharedRedis(startTlsRedis);

  test("with its CA in REDIS_CA_FILE, two instances share a room over TLS, stored in that Redis", async () => {
    const env = { REDIS_URL: redis().url, REDIS_CA_FILE: redis().caFile };
    await using first = await spawnServer(SERVER, { env });
    await using second = await spawnServer(SERVER, { env });
    expect(await first.waitForLine("mob-timer started")).toContain(redis().url);
    expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
    await using events = await EventReader.open(`${second.url}/tls-room/events`);
    await events.replay();
    expect((await fetch(`${first.url}/tls-room`, { method: "PUT", body: '{"timer":3,"user":"alice"}' })).status).toBe(202);
    expect(JSON.parse((await events.next("TIMER_REQUEST")).data)).toMatchObject({ user: "alice", timer: 3 });
    expect(await redis().command("EXISTS", "mob-timer:room:tls-room")).toBe(1);
  }, 20_000);

  test("Bun's NODE_EXTRA_CA_CERTS trusts the CA too, for the whole process", async () => {
    await using s = await spawnServer(SERVER, { env: { REDIS_URL: redis().url, NODE_EXTRA_CA_CERTS: redis().caFile } });
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
  });

  test.each([
    ["only the public CAs are trusted (no REDIS_CA_FILE)", (): Record<string, string> => ({}), "self signed certificate in certificate chain"],
    ["REDIS_CA_FILE names a CA that did not sign it", () => ({ REDIS_CA_FILE: newCertificateAuthority(tempDir(), "stranger-ca").certFile }), "self signed certificate in certificate chain"],
    ["REDIS_URL names an address the certificate does not", () => ({ REDIS_URL: redis().urlNotInCertificate, REDIS_CA_FILE: redis().caFile }), "Hostname/IP does not match certificate's altnames"],
  ])("when %s, the certificate is refused: nothing is stored, and the log says why", async (_, trust, reason) => {
    await using s = await spawnServer(SERVER, { env: { REDIS_URL: redis().url, ...trust() } });
    const why = expect.stringContaining(`TLS handshake failed: ${reason}`);
    expect(await s.waitForLine("redis unreachable")).toEqual(why);
    const health = await fetch(`${s.url}/api/health`);
    expect([health.status, (await health.json()).status]).toEqual([503, "unavailable"]);
    expect(await s.waitForLine("storage check failed")).toEqual(why);
    expect((await fetch(`${s.url}/refused-room`, { method: "PUT", body: '{"timer":3,"user":"alice"}' })).status).toBe(503);
    expect(await redis().command("EXISTS", "mob-timer:room:refused-room")).toBe(0);
  });

  test("a Redis that wants a client certificate is refused, and the log says so", async () => {
    await redis().command("CONFIG", "SET", "tls-auth-clients", "yes");
    try {
      await using s = await spawnServer(SERVER, { env: { REDIS_URL: redis().url, REDIS_CA_FILE: redis().caFile } });
      expect(await s.waitForLine("redis unreachable")).toMatch(/Redis refused the TLS connection: .*CERTIFICATE_REQUIRED/);
      expect((await fetch(`${s.url}/api/health`)).status).toBe(503);
    } finally {
      await redis().command("CONFIG", "SET", "tls-auth-clients", "no");
    }
  });
});

const unusable: [string, (dir: string) => Record<string, string>, string][] = [
  ["REDIS_CA_FILE is missing", (dir) => ({ REDIS_CA_FILE: join(dir, "missing.pem") }), "cannot be read: ENOENT"],
  ["REDIS_CA_FILE holds no certificate", (dir) => ({ REDIS_CA_FILE: written(dir, "ca.pem", "not a certificate\n") }), "holds no PEM certificate"],
  [
    "REDIS_CA_FILE holds a broken certificate",
    (dir) => ({ REDIS_CA_FILE: written(dir, "ca.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n") }),
    "holds a certificate that cannot be read",
  ],
  ["REDIS_URL is redis:// (no TLS)", (dir) => ({ REDIS_URL: "redis://127.0.0.1:1", REDIS_CA_FILE: written(dir, "ca.pem", "") }), "needs a rediss:// REDIS_URL"],
];

function written(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

test.each(unusable)("when %s, the server prints one line naming it and exits without listening", async (_, settings, reason) => {
  const env = { PATH: process.env.PATH ?? "", PORT: "0", REDIS_URL: "rediss://127.0.0.1:1", ...settings(tempDir()) };
  const child = Bun.spawn(SERVER, { env, stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  expect([code, out]).toEqual([1, ""]);
  expect(err.trimEnd().split("\n")).toEqual([expect.stringMatching(new RegExp(`^mob-timer: REDIS_CA_FILE .*${reason}`))]);
});
