// A real nginx in front of several instances for a test, with the configuration
// deploy/compose.yaml ships (round robin, no sticky sessions, buffering off for streams),
// on a free port, its logs and temporary files in a temporary directory.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const NGINX = "/usr/sbin/nginx";

/** Whether the tests that need nginx can run; they are skipped, saying why, when not. */
export const nginxInstalled = existsSync(NGINX);
if (!nginxInstalled) console.warn(`${NGINX} is missing: the tests through a proxy are skipped (apt-get install nginx)`);

export interface Proxy extends AsyncDisposable {
  /** The proxy's base URL, without a trailing slash. */
  url: string;
}

function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** The configuration deploy/compose.yaml ships; the test runs it, pointed at its own instances. */
const SHIPPED = join(import.meta.dir, "..", "deploy", "nginx-several.conf");

/** Starts nginx with the shipped configuration, balancing over `upstreams` ("127.0.0.1:port"). */
export async function startProxy(upstreams: string[]): Promise<Proxy> {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-nginx-"));
  const port = freePort();
  const shipped = readFileSync(SHIPPED, "utf8");
  const servers = upstreams.map((upstream) => `    server ${upstream} max_fails=1 fail_timeout=5s;`).join("\n");
  const site = shipped.replace(/^( {4}server timer-\d+:8080 .*\n)+/m, `${servers}\n`).replace("listen 80;", `listen 127.0.0.1:${port};`);
  if (site.includes("timer-1") || !site.includes(`listen 127.0.0.1:${port};`)) throw new Error(`${SHIPPED} no longer has the upstream and listen lines this helper replaces`);
  writeFileSync(join(dir, "site.conf"), site);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${dir}/${kind};`).join("\n");
  writeFileSync(
    join(dir, "nginx.conf"),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
${temp}
  include ${dir}/site.conf;
}
`,
  );
  const child = Bun.spawn([NGINX, "-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"], { stdout: "ignore", stderr: "pipe" });
  const url = `http://127.0.0.1:${port}`;
  const errors = () => (existsSync(join(dir, "error.log")) ? Bun.file(join(dir, "error.log")).text() : Promise.resolve(""));
  // Until nginx answers; the probe takes one turn of the round robin, so tests never assume whose turn it is.
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        const stderr = await new Response(child.stderr).text();
        throw new Error(`nginx did not start on port ${port}: ${stderr}${await errors()}`);
      }
      await Bun.sleep(20);
    }
  }
  return {
    url,
    async [Symbol.asyncDispose]() {
      // SIGTERM lets the master stop its workers; a master killed outright leaves them running.
      child.kill("SIGTERM");
      const stopped = await Promise.race([child.exited.then(() => true), Bun.sleep(3000).then(() => false)]);
      if (!stopped) child.kill("SIGKILL");
      await child.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
