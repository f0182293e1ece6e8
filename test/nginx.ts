// A real nginx in front of several instances for a test: round robin, no sticky sessions,
// buffering off for streams, as the README's configuration for several instances. On a
// free port, with its configuration, logs and temporary files in a temporary directory.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

/** Starts nginx balancing over `upstreams` ("127.0.0.1:port"), round robin. */
export async function startProxy(upstreams: string[]): Promise<Proxy> {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-nginx-"));
  const port = freePort();
  const servers = upstreams.map((upstream) => `    server ${upstream};`).join("\n");
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
  upstream mob_timer {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mob_timer;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_read_timeout 1h;
      proxy_connect_timeout 2s;
    }
  }
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
      child.kill("SIGKILL");
      await child.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
