// Which host names this server answers to. A DNS-rebinding page reaches a home-lab server
// under the attacker's own name, with the browser's ambient access; refusing names the
// operator did not allow stops it. Pages show the URL a request came in under, so a name
// that passes here is also the only kind that can ever appear in a page.
import type { Config } from "../config.ts";
import { nodeOs } from "../base/node-modules.ts";
import { HTTP_ERRORS } from "./errors.ts";

/** Names any local tool uses (the health check, curl on the box); a rebinding page cannot send them. */
const LOOPBACK = ["localhost", "127.0.0.1", "::1"];

const WILDCARD_ADDRESSES = new Set(["", "0.0.0.0", "::"]);

/**
 * The name in a Host value, as compared: without port, brackets or trailing dot, lower case.
 * The port is left out because proxies forward the name alone (nginx's `$host`).
 */
export function hostName(value: string): string {
  let name = value.trim().toLowerCase();
  if (name.startsWith("[")) name = name.slice(1, name.indexOf("]") === -1 ? undefined : name.indexOf("]"));
  else if (name.indexOf(":") === name.lastIndexOf(":")) name = name.split(":")[0]!;
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/** The machine's own names and addresses: what a person on the LAN types to reach it. */
export function machineNames(): string[] {
  const os = nodeOs();
  const name = os.hostname().toLowerCase();
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.split("%")[0]!));
  return [name, name.split(".")[0]!, `${name.split(".")[0]}.local`, ...addresses];
}

/** Names from the ALLOWED_HOSTS setting: comma-separated, `*` for any. */
export function parseAllowedHosts(raw: string): string[] {
  return raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "").map(hostName);
}

/**
 * Whether a name is accepted: with PUBLIC_URL, its name; without, the machine's own; in both
 * cases the listening address, loopback, and what ALLOWED_HOSTS adds. Null: any name. The
 * machine's names are read when a name first needs them: reading them loads node:os, about
 * 1 MB for the server's whole life, which a server reached on loopback or through its
 * PUBLIC_URL never needs.
 */
export function allowedHostNames(config: Config, machine: () => readonly string[] = machineNames): ((name: string) => boolean) | null {
  const extra = parseAllowedHosts(config.allowedHosts);
  if (extra.includes("*")) return null;
  const own = config.publicUrl ? [new URL(config.publicUrl).hostname] : [];
  const listening = WILDCARD_ADDRESSES.has(config.host) ? [] : [config.host];
  const names = new Set([...own, ...listening, ...LOOPBACK, ...extra].map(hostName));
  let machineRead = config.publicUrl !== "";
  return (name) => {
    if (!names.has(name) && !machineRead) {
      machineRead = true;
      for (const own of machine()) names.add(hostName(own));
    }
    return names.has(name);
  };
}

const misdirected = HTTP_ERRORS.misdirected.with();
const twoHosts = HTTP_ERRORS.twoHosts.with();

/** A check that throws unless the request's Host (and a trusted X-Forwarded-Host) is allowed. */
export function hostCheck(config: Config, machine?: () => readonly string[]): (req: Request) => void {
  const allowed = allowedHostNames(config, machine);
  // Nearly every request of a server carries the same Host value: it is checked once.
  let lastAllowed: string | null = null;
  return (req) => {
    const host = req.headers.get("host");
    if (host !== lastAllowed) {
      // Bun joins repeated headers with ", "; a host name never contains a comma.
      if (host?.includes(",")) throw twoHosts;
      if (allowed !== null && host !== null && !allowed(hostName(host))) throw misdirected;
      lastAllowed = host;
    }
    if (allowed === null) return;
    if (!config.trustProxy) return;
    const forwarded = req.headers.get("x-forwarded-host");
    if (forwarded === null) return;
    for (const entry of forwarded.split(",")) if (!allowed(hostName(entry))) throw misdirected;
  };
}
