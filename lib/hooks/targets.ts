// Where a webhook may be sent. A room's hooks are set by anyone who can reach the room, so a
// public server must not let them reach its own network: only http(s), only the hosts the
// operator allows, and never an address that is loopback, private, link-local or
// unique-local unless the operator says so. The host is resolved and every address checked,
// when the hook is saved and again before each delivery (DNS can change in between).
import { nodeDns, nodeNet } from "../base/node-modules.ts";

const isIP = (address: string): number => nodeNet().isIP(address);

export interface TargetRules {
  /** Host names allowed, lowercase; "*.example.org" allows the domain and its subdomains. Empty: any. */
  allowedHosts: readonly string[];
  allowPrivate: boolean;
}

export function targetRules(config: { webhookAllowedHosts: string; webhookAllowPrivate: boolean }): TargetRules {
  const allowedHosts = config.webhookAllowedHosts
    .split(",")
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host !== "");
  return { allowedHosts, allowPrivate: config.webhookAllowPrivate };
}

/** Longest URL a hook may have: incoming-webhook URLs are a few hundred characters at most. */
export const MAX_URL_LENGTH = 2048;

/** Resolves a host name to its addresses. */
export type Resolve = (host: string) => Promise<string[]>;

/** Each lookup waits this long at most: a save must not hang on a slow resolver. */
const LOOKUP_MS = 3000;

export const resolveHost: Resolve = (host) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), LOOKUP_MS);
  });
  const found = nodeDns().lookup(host, { all: true, verbatim: true }).then((addresses) => addresses.map((a) => a.address));
  return Promise.race([found, timeout]).finally(() => clearTimeout(timer));
};

/** The URL if it is one a hook may have in form (http or https, no password in it), else why not. */
export function parseTarget(raw: string): URL | string {
  if (raw.length > MAX_URL_LENGTH) return `the URL is longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "the URL is not a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "only http and https URLs can receive webhooks";
  if (url.username !== "" || url.password !== "") return "put no user name or password in the URL";
  return url;
}

/** The host as addresses are compared: lowercase, an IPv6 literal without its brackets. */
function bareHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  return allowed.some((entry) => (entry.startsWith("*.") ? host === entry.slice(2) || host.endsWith(entry.slice(1)) : host === entry));
}

/** Null when `url` may receive webhooks now, else why not (safe to show: it names no internals). */
export async function targetProblem(url: URL, rules: TargetRules, resolve: Resolve = resolveHost): Promise<string | null> {
  const host = bareHost(url);
  if (!hostAllowed(host, rules.allowedHosts)) return `this server sends webhooks only to ${rules.allowedHosts.join(", ")}`;
  if (rules.allowPrivate) return null;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `the host ${host} could not be resolved`;
  }
  if (addresses.length === 0) return `the host ${host} could not be resolved`;
  if (addresses.some(isPrivateAddress)) return `the host ${host} is a private, loopback or link-local address, which this server does not send to`;
  return null;
}

function ipv4Number(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/** IPv4 ranges that are not the public internet: [first address, prefix length]. */
const PRIVATE_V4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
];

function privateV4(address: string): boolean {
  const n = ipv4Number(address);
  return PRIVATE_V4.some(([first, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(ipv4Number(first) / 2 ** (32 - bits)));
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail becomes two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipv4Number(dotted[1]!);
    text = text.slice(0, dotted.index) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return tail === undefined ? front : [...front, ...new Array(8 - front.length - back.length).fill(0), ...back];
}

function privateV6(address: string): boolean {
  const g = ipv6Groups(address);
  const embeddedV4 = () => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  if (g.slice(0, 7).every((x) => x === 0)) return true; // :: and ::1
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return privateV4(embeddedV4()); // ::ffff:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b) return privateV4(embeddedV4()); // NAT64
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // unique-local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  return (g[0]! & 0xff00) === 0xff00; // multicast
}

/** Whether an address is anything but a public unicast one. */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return privateV4(address);
  if (version === 6) return privateV6(address);
  return true;
}
