// REDIS_URL=rediss:// against a real redis-server that speaks only TLS, its certificate from
// a throwaway CA: the server process trusts that CA when REDIS_CA_FILE names it, refuses the
// certificate otherwise and says why, shows the client certificate of REDIS_CERT_FILE and
// REDIS_KEY_FILE to a Redis that asks for one, and will not start on files it cannot use.
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { handshakeFailure } from "../lib/store/redis-tls.ts";
import { newCertificateAuthority, newClientCertificate, opensslInstalled, type KeyPair } from "./certificates.ts";
import { EventReader, spawnServer, tempDirs } from "./helpers.ts";
import { redisInstalled, sharedRedis, startTlsRedis, type RedisServer } from "./redis-server.ts";

const SERVER = [process.execPath, join(import.meta.dir, "..", "server.ts")];
const tempDir = tempDirs("redis-tls");

/** Two instances started with `env` share `room` through `redis`: a change on one reaches a listener of the other, and Redis holds it. */
async function expectRoomShared(redis: RedisServer, env: Record<string, string>, room: string): Promise<void> {
  await using first = await spawnServer(SERVER, { env });
  await using second = await spawnServer(SERVER, { env });
  expect(await first.waitForLine("mob-timer started")).toContain(redis.url);
  expect((await fetch(`${first.url}/api/health`)).status).toBe(200);
  await using events = await EventReader.open(`${second.url}/${room}/events`);
  await events.replay();
  expect((await fetch(`${first.url}/${room}`, { method: "PUT", body: '{"timer":3,"user":"alice"}' })).status).toBe(202);
  expect(JSON.parse((await events.next("TIMER_REQUEST")).data)).toMatchObject({ user: "alice", timer: 3 });
  expect(await redis.command("EXISTS", `mob-timer:room:${room}`)).toBe(1);
}

/**
 * An instance started with `env` cannot use `redis`: its start line and its failed health
 * checks say `why`, health and changes answer 503, and nothing is stored.
 */
async function expectRefused(redis: RedisServer, env: Record<string, string>, why: RegExp): Promise<void> {
  await using s = await spawnServer(SERVER, { env });
  expect(await s.waitForLine("redis unreachable")).toMatch(why);
  const health = await fetch(`${s.url}/api/health`);
  expect([health.status, (await health.json()).status]).toEqual([503, "unavailable"]);
  expect(await s.waitForLine("storage check failed")).toMatch(why);
  expect((await fetch(`${s.url}/refused-room`, { method: "PUT", body: '{"timer":3,"user":"alice"}' })).status).toBe(503);
  expect(await redis.command("EXISTS", "mob-timer:room:refused-room")).toBe(0);
}

describe.skipIf(!redisInstalled || !opensslInstalled)("Redis over TLS", () => {
  const redis = sharedRedis(startTlsRedis);

  test("with its CA in REDIS_CA_FILE, two instances share a room over TLS, stored in that Redis", () =>
    expectRoomShared(redis(), { REDIS_URL: redis().url, REDIS_CA_FILE: redis().caFile }, "tls-room"), 20_000);

  test("Bun's NODE_EXTRA_CA_CERTS trusts the CA too, for the whole process", async () => {
    await using s = await spawnServer(SERVER, { env: { REDIS_URL: redis().url, NODE_EXTRA_CA_CERTS: redis().caFile } });
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
  });

  test.each([
    ["only the public CAs are trusted (no REDIS_CA_FILE)", (): Record<string, string> => ({}), "self signed certificate in certificate chain"],
    ["REDIS_CA_FILE names a CA that did not sign it", () => ({ REDIS_CA_FILE: newCertificateAuthority(tempDir(), "stranger-ca").certFile }), "self signed certificate in certificate chain"],
    ["REDIS_URL names an address the certificate does not", () => ({ REDIS_URL: redis().urlNotInCertificate, REDIS_CA_FILE: redis().caFile }), "Hostname/IP does not match certificate's altnames"],
  ])("when %s, the certificate is refused: nothing is stored, and the log says why", async (_, trust, reason) => {
    await expectRefused(redis(), { REDIS_URL: redis().url, ...trust() }, new RegExp(`TLS handshake failed: ${reason}`));
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

describe.skipIf(!redisInstalled || !opensslInstalled)("Redis over TLS that wants a client certificate (tls-auth-clients yes)", () => {
  const redis = sharedRedis(() => startTlsRedis({ authClients: true }));
  const showing = (client: KeyPair) => ({ REDIS_URL: redis().url, REDIS_CA_FILE: redis().caFile, REDIS_CERT_FILE: client.certFile, REDIS_KEY_FILE: client.keyFile });

  test("with a client certificate from its CA in REDIS_CERT_FILE and REDIS_KEY_FILE, two instances share a room over mutual TLS", () =>
    expectRoomShared(redis(), showing(redis().client), "mtls-room"), 20_000);

  test.each([
    [
      "it comes from an intermediate CA, REDIS_CERT_FILE holding the chain after it",
      (dir: string): KeyPair => {
        const intermediate = newCertificateAuthority(dir, "intermediate-ca", redis().ca);
        const client = newClientCertificate(dir, intermediate, "chained-client");
        return { certFile: written(dir, "chain.pem", readFileSync(client.certFile, "utf8") + readFileSync(intermediate.certFile, "utf8")), keyFile: client.keyFile };
      },
    ],
    [
      "one file holds both the certificate and its key",
      (dir: string): KeyPair => {
        const both = written(dir, "client.pem", readFileSync(redis().client.certFile, "utf8") + readFileSync(redis().client.keyFile, "utf8"));
        return { certFile: both, keyFile: both };
      },
    ],
  ])("a client certificate is accepted when %s", async (_, files) => {
    await using s = await spawnServer(SERVER, { env: showing(files(tempDir())) });
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
  });

  test("a client certificate from a CA it does not trust is refused: nothing is stored, and the log says why", async () => {
    const dir = tempDir();
    const stranger = newClientCertificate(dir, newCertificateAuthority(dir, "stranger-ca"), "stranger-client");
    await expectRefused(redis(), showing(stranger), /Redis refused the TLS connection: .*TLSV1_ALERT_UNKNOWN_CA/);
  });

  // Bun's client says only "Connection closed", for any cause: the handshake that looks for
  // the reason must show the certificate the client showed, or blame a certificate that is fine.
  test("the handshake that explains a failed connection shows the same client certificate, and finds nothing wrong with a good one", async () => {
    const read = (file: string) => readFileSync(file, "utf8");
    const ca = read(redis().caFile);
    expect(await handshakeFailure(redis().url, { ca, cert: read(redis().client.certFile), key: read(redis().client.keyFile) })).toBeNull();
    expect(await handshakeFailure(redis().url, { ca })).toMatch(/CERTIFICATE_REQUIRED/);
  });
});

type Unusable = [string, (dir: string) => Record<string, string>, string];

const BROKEN_CERTIFICATE = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

const unusable: Unusable[] = [
  ["REDIS_CA_FILE is missing", (dir) => ({ REDIS_CA_FILE: join(dir, "missing.pem") }), "REDIS_CA_FILE .*cannot be read: ENOENT"],
  ["REDIS_CA_FILE holds no certificate", (dir) => ({ REDIS_CA_FILE: written(dir, "ca.pem", "not a certificate\n") }), "REDIS_CA_FILE .*holds no PEM certificate"],
  ["REDIS_CA_FILE holds a broken certificate", (dir) => ({ REDIS_CA_FILE: written(dir, "ca.pem", BROKEN_CERTIFICATE) }), "REDIS_CA_FILE .*holds a certificate that cannot be read"],
  ["REDIS_URL is redis:// (no TLS)", (dir) => ({ REDIS_URL: "redis://127.0.0.1:1", REDIS_CA_FILE: written(dir, "ca.pem", "") }), "REDIS_CA_FILE .*needs a rediss:// REDIS_URL"],
];

/** A good client certificate and key, in the settings that name them; each row spoils one thing. */
function clientFiles(dir: string): { REDIS_CERT_FILE: string; REDIS_KEY_FILE: string } {
  const client = newClientCertificate(dir, newCertificateAuthority(dir, "client-ca"), "client");
  return { REDIS_CERT_FILE: client.certFile, REDIS_KEY_FILE: client.keyFile };
}

/** Both settings name the same one of the two files. */
function bothNaming(dir: string, setting: "REDIS_CERT_FILE" | "REDIS_KEY_FILE"): Record<string, string> {
  const file = clientFiles(dir)[setting];
  return { REDIS_CERT_FILE: file, REDIS_KEY_FILE: file };
}

const unusableClientCertificate: Unusable[] = [
  ["REDIS_CERT_FILE is given without REDIS_KEY_FILE", (dir) => ({ REDIS_CERT_FILE: clientFiles(dir).REDIS_CERT_FILE }), "REDIS_CERT_FILE is given without REDIS_KEY_FILE"],
  ["REDIS_KEY_FILE is given without REDIS_CERT_FILE", (dir) => ({ REDIS_KEY_FILE: clientFiles(dir).REDIS_KEY_FILE }), "REDIS_KEY_FILE is given without REDIS_CERT_FILE"],
  ["REDIS_URL is redis:// (no TLS) with a client certificate", (dir) => ({ REDIS_URL: "redis://127.0.0.1:1", ...clientFiles(dir) }), "REDIS_CERT_FILE .*needs a rediss:// REDIS_URL"],
  ["REDIS_CERT_FILE is missing", (dir) => ({ ...clientFiles(dir), REDIS_CERT_FILE: join(dir, "missing.pem") }), "REDIS_CERT_FILE .*cannot be read: ENOENT"],
  ["REDIS_KEY_FILE is missing", (dir) => ({ ...clientFiles(dir), REDIS_KEY_FILE: join(dir, "missing.pem") }), "REDIS_KEY_FILE .*cannot be read: ENOENT"],
  ["REDIS_CERT_FILE holds the key, not the certificate", (dir) => bothNaming(dir, "REDIS_KEY_FILE"), "REDIS_CERT_FILE .*holds no PEM certificate"],
  ["REDIS_CERT_FILE holds a broken certificate", (dir) => ({ ...clientFiles(dir), REDIS_CERT_FILE: written(dir, "client.pem", BROKEN_CERTIFICATE) }), "REDIS_CERT_FILE .*holds a certificate that cannot be read"],
  ["REDIS_KEY_FILE holds the certificate, not the key", (dir) => bothNaming(dir, "REDIS_CERT_FILE"), "REDIS_KEY_FILE .*holds no PEM private key"],
  ["REDIS_KEY_FILE holds a broken key", (dir) => ({ ...clientFiles(dir), REDIS_KEY_FILE: written(dir, "client.key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }), "REDIS_KEY_FILE .*holds a private key that cannot be read"],
  ["REDIS_KEY_FILE is another certificate's key", (dir) => ({ ...clientFiles(dir), REDIS_KEY_FILE: newCertificateAuthority(dir, "other").keyFile }), "REDIS_KEY_FILE .*is not the private key of the first certificate in REDIS_CERT_FILE"],
];

function written(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

async function refusesToStart(_: string, settings: Unusable[1], reason: string): Promise<void> {
  const env = { PATH: process.env.PATH ?? "", PORT: "0", REDIS_URL: "rediss://127.0.0.1:1", ...settings(tempDir()) };
  // A server that starts anyway is ended, not left running after the test.
  const child = Bun.spawn(SERVER, { env, stdout: "pipe", stderr: "pipe", timeout: 10_000 });
  const [code, out, err] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  expect([code, out]).toEqual([1, ""]);
  expect(err.trimEnd().split("\n")).toEqual([expect.stringMatching(new RegExp(`^mob-timer: ${reason}`))]);
  // Nothing of a file's contents is shown: a PEM body is lines of 64 base64 characters.
  expect(err).not.toMatch(/[A-Za-z0-9+/=]{40,}/);
}

test.each(unusable)("when %s, the server prints one line naming it and exits without listening", refusesToStart);
test.skipIf(!opensslInstalled).each(unusableClientCertificate)("when %s, the server prints one line naming it and exits without listening", refusesToStart);
