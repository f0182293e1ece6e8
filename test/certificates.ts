// Throwaway certificates, made with openssl when a test runs: a CA of the test's own and the
// server and client certificates it signed, as an operator with a private CA has them.
// Short-lived P-256 keys: nothing to keep, and quick to make.
import { join } from "node:path";

/** Whether the tests that need certificates can run; they are skipped when not. */
export const opensslInstalled = Bun.which("openssl") !== null;
if (!opensslInstalled) console.warn("openssl is missing: the TLS tests are skipped (apt-get install openssl)");

export interface KeyPair {
  certFile: string;
  keyFile: string;
}

function openssl(args: string[]): void {
  const run = Bun.spawnSync(["openssl", ...args], { stdout: "ignore", stderr: "pipe" });
  if (!run.success) throw new Error(`openssl ${args.join(" ")} failed: ${run.stderr.toString()}`);
}

const NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"];

/** A CA in `dir`, its files named after `name`: self-signed, or an intermediate CA signed by `parent`. */
export function newCertificateAuthority(dir: string, name: string, parent?: KeyPair): KeyPair {
  const pair = { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
  const signed = parent ? ["-CA", parent.certFile, "-CAkey", parent.keyFile, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"] : [];
  openssl(["req", "-x509", ...NEW_KEY, "-keyout", pair.keyFile, "-out", pair.certFile, "-subj", `/CN=${name}`, ...signed]);
  return pair;
}

/** A certificate that is no CA, signed by `ca`, its files named after `name`, with `extension` (openssl's -addext). */
function newLeafCertificate(dir: string, ca: KeyPair, name: string, extension: string): KeyPair {
  const pair = { certFile: join(dir, `${name}.crt`), keyFile: join(dir, `${name}.key`) };
  openssl([
    "req", "-x509", ...NEW_KEY, "-keyout", pair.keyFile, "-out", pair.certFile, "-subj", `/CN=${name}`,
    "-CA", ca.certFile, "-CAkey", ca.keyFile,
    // Without it the CA section of openssl.cnf would make this certificate a CA too.
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", extension,
  ]);
  return pair;
}

/** A server certificate signed by `ca`, valid for `altNames` (subjectAltName entries such as IP:127.0.0.1). */
export function newServerCertificate(dir: string, ca: KeyPair, altNames: readonly string[]): KeyPair {
  return newLeafCertificate(dir, ca, "server", `subjectAltName=${altNames.join(",")}`);
}

/** A client certificate signed by `ca`, as a Redis with tls-auth-clients yes asks for, its files named after `name`. */
export function newClientCertificate(dir: string, ca: KeyPair, name: string): KeyPair {
  return newLeafCertificate(dir, ca, name, "extendedKeyUsage=clientAuth");
}
