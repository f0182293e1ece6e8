// The files an operator gives for Redis over TLS (REDIS_CA_FILE, REDIS_CERT_FILE and
// REDIS_KEY_FILE), read and checked at start. Bun takes any text as a CA, and a key that is
// not the certificate's, and only fails each connection afterwards, saying "Connection
// closed": a file that cannot work stops the start instead, with one line naming it.
import type { KeyObject } from "node:crypto";
import { nodeCrypto, nodeFs } from "../base/node-modules.ts";
import { withoutPassword, type Config } from "../config.ts";
import type { RedisTls } from "./redis-tls.ts";
import { StoreError } from "./store.ts";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** PKCS#8 (PRIVATE KEY, ENCRYPTED PRIVATE KEY) and the older RSA PRIVATE KEY and EC PRIVATE KEY. */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/;

/**
 * What both connections to the Redis of REDIS_URL, and the handshake that explains their
 * failures, are given; undefined when no file is named (the public CAs, no client
 * certificate). Throws StoreError naming the setting and what is wrong with it.
 */
export function readRedisTls(settings: Pick<Config, "redisUrl" | "redisCaFile" | "redisCertFile" | "redisKeyFile">): RedisTls | undefined {
  const { redisUrl, redisCaFile: caFile, redisCertFile: certFile, redisKeyFile: keyFile } = settings;
  const given = caFile !== "" ? "REDIS_CA_FILE" : certFile !== "" ? "REDIS_CERT_FILE" : keyFile !== "" ? "REDIS_KEY_FILE" : null;
  if (given === null) return undefined;
  // Given with redis://, any of them would quietly turn TLS on; without REDIS_URL it would be ignored.
  if (!/^rediss:/i.test(redisUrl)) throw new StoreError(`${given} is for a Redis over TLS: it needs a rediss:// REDIS_URL, got "${withoutPassword(redisUrl)}"`);
  if (keyFile === "" && certFile !== "") throw new StoreError("REDIS_CERT_FILE is given without REDIS_KEY_FILE: Redis accepts a client certificate only with its private key");
  if (certFile === "" && keyFile !== "") throw new StoreError("REDIS_KEY_FILE is given without REDIS_CERT_FILE: a private key alone is no client certificate");
  return {
    ...(caFile === "" ? {} : { ca: readCertificates("REDIS_CA_FILE", caFile).join("\n") }),
    ...(certFile === "" ? {} : readClientCertificate(certFile, keyFile)),
  };
}

function readClientCertificate(certPath: string, keyPath: string): { cert: string; key: string } {
  const chain = readCertificates("REDIS_CERT_FILE", certPath);
  const key = readPrivateKey(keyPath);
  // TLS sends the certificates in the file's order: the first is the one the key must prove.
  if (!new (nodeCrypto().X509Certificate)(chain[0]!).checkPrivateKey(key.parsed)) {
    throw new StoreError(`REDIS_KEY_FILE ${keyPath} is not the private key of the first certificate in REDIS_CERT_FILE ${certPath}`);
  }
  return { cert: chain.join("\n"), key: key.pem };
}

/** The PEM certificates of a file, each checked to be one. */
function readCertificates(name: string, path: string): string[] {
  const certificates = readSetting(name, path).match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new StoreError(`${name} ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const pem of certificates) {
    try {
      new (nodeCrypto().X509Certificate)(pem);
    } catch (error) {
      throw new StoreError(`${name} ${path} holds a certificate that cannot be read: ${(error as Error).message}`);
    }
  }
  return certificates;
}

/** Only the key's own block goes to Bun: a file that holds the certificate too works as well. */
function readPrivateKey(path: string): { pem: string; parsed: KeyObject } {
  const pem = PEM_PRIVATE_KEY.exec(readSetting("REDIS_KEY_FILE", path))?.[0];
  if (pem === undefined) throw new StoreError(`REDIS_KEY_FILE ${path} holds no PEM private key (-----BEGIN PRIVATE KEY-----)`);
  try {
    return { pem, parsed: nodeCrypto().createPrivateKey(pem) };
  } catch (error) {
    // OpenSSL's reason ("Passphrase required for encrypted key", a decode error), never the key.
    throw new StoreError(`REDIS_KEY_FILE ${path} holds a private key that cannot be read: ${(error as Error).message}`);
  }
}

function readSetting(name: string, path: string): string {
  try {
    return nodeFs().readFileSync(path, "utf8");
  } catch (error) {
    throw new StoreError(`${name} ${path} cannot be read: ${(error as Error).message}`);
  }
}
