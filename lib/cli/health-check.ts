// `mob-timer --health-check`: asks the server running with the same settings whether it is
// healthy, for container images that have no curl (Docker's HEALTHCHECK, exec probes).
import type { Config } from "../config.ts";

/** Ends a check against a hung server well inside Docker's default 30 s health-check timeout. */
const TIMEOUT_MS = 5000;

export interface HealthResult {
  healthy: boolean;
  /** One line for the container runtime's health log. */
  line: string;
}

/** The server's health route, reached through loopback when it listens on every address. */
export function healthUrl(config: Config): string {
  const wildcard = config.host === "0.0.0.0" || config.host === "::" || config.host === "";
  const host = wildcard ? "127.0.0.1" : config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}${config.basePath}/api/health`;
}

export async function checkHealth(config: Config): Promise<HealthResult> {
  const url = healthUrl(config);
  const headers = new Headers();
  if (config.authUser || config.authPassword) {
    // UTF-8, as lib/auth.ts decodes it.
    headers.set("Authorization", `Basic ${Buffer.from(`${config.authUser}:${config.authPassword}`).toString("base64")}`);
  }
  try {
    const response = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.body?.cancel();
    const healthy = response.status === 200;
    return { healthy, line: `${healthy ? "healthy" : "unhealthy"}: ${url} answered ${response.status}` };
  } catch (error) {
    return { healthy: false, line: `unhealthy: ${url}: ${(error as Error).message}` };
  }
}
