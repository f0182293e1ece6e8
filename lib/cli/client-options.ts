// What `mob-timer watch` and `mob-timer status` are told: the server, room and user the way
// the `mob` CLI reads them (MOB_TIMER_URL, MOB_TIMER_ROOM, MOB_TIMER_USER), or flags that win
// over them. A room key in the URL's user info becomes the Basic credentials `mob` sends too,
// and is never shown again.
import { unknownField, STATUS_FIELDS } from "./status-format.ts";

export type ClientCommand = "watch" | "status";

export interface ClientOptions {
  /** The server's address without credentials, ending in "/": what lines may show. */
  server: URL;
  room: string;
  user: string | null;
  /** `Basic …` from the URL's user info, as `mob` sends it (a claimed room's key is its password). */
  authorization: string | null;
  bell: boolean;
  format: string | null;
  timeoutMs: number;
}

/** A mistake in how the command was called: one line, exit 2. */
export class UsageError extends Error {}

/** A prompt must not wait longer for a server that does not answer. */
export const DEFAULT_TIMEOUT_MS = 500;
const MAX_TIMEOUT_MS = 60_000;

export function clientHelp(): string {
  return [
    "Usage: mob-timer watch [--url URL] [--room ROOM] [--user NAME] [--no-bell]",
    "       mob-timer status [--url URL] [--room ROOM] [--user NAME] [--format TEXT] [--timeout MS]",
    "",
    "  watch   follow the room: one line kept up to date on a terminal (a line per event otherwise),",
    "          the bell at time's up; Ctrl-C ends it",
    "  status  the time left and who is next, once, for a shell prompt or tmux; nothing when idle",
    "",
    "  --url / MOB_TIMER_URL     the server, as for mob (https://team:KEY@host/ for a claimed room)",
    "  --room / MOB_TIMER_ROOM   the room",
    "  --user / MOB_TIMER_USER   who you are: says when it is your turn or you are next",
    "  --no-bell                 watch: no terminal bell at time's up",
    `  --format TEXT             status: fields ${STATUS_FIELDS.map((f) => `{${f}}`).join(" ")}`,
    `  --timeout MS              status: wait at most this long for the server (default ${DEFAULT_TIMEOUT_MS}; 2s, 300ms)`,
  ].join("\n");
}

function serverOf(raw: string): { server: URL; authorization: string | null } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`the server URL "${raw}" is not a URL (expected http://host:8080/)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`the server URL must start with http:// or https://`);
  let authorization: string | null = null;
  if (url.username !== "" || url.password !== "") {
    // As Go's HTTP client does for `mob`: the user info, unescaped, as Basic credentials.
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return { server: url, authorization };
}

function timeoutOf(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw);
  const ms = match ? Number(match[1]) * (match[2] === "s" ? 1000 : 1) : Number.NaN;
  if (!(ms >= 1 && ms <= MAX_TIMEOUT_MS)) throw new UsageError(`--timeout: expected milliseconds from 1 to ${MAX_TIMEOUT_MS} (or 2s), got "${raw}"`);
  return Math.round(ms);
}

const VALUE_FLAGS: Record<ClientCommand, readonly string[]> = {
  watch: ["--url", "--room", "--user"],
  status: ["--url", "--room", "--user", "--format", "--timeout"],
};

/** The options, or "help" for --help; throws UsageError naming the mistake. */
export function clientOptions(command: ClientCommand, env: Record<string, string | undefined>, argv: readonly string[]): ClientOptions | "help" {
  const flags = new Map<string, string>();
  let bell = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    if (command === "watch" && arg === "--no-bell") {
      bell = false;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (!VALUE_FLAGS[command].includes(flag)) throw new UsageError(`unknown option ${arg} for ${command} (see mob-timer ${command} --help)`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    flags.set(flag, value);
  }
  const url = flags.get("--url") ?? env.MOB_TIMER_URL;
  if (!url) throw new UsageError("no server: set MOB_TIMER_URL (as for mob) or give --url");
  const room = flags.get("--room") ?? env.MOB_TIMER_ROOM;
  if (!room) throw new UsageError("no room: set MOB_TIMER_ROOM (as for mob) or give --room");
  const format = flags.get("--format") ?? null;
  const unknown = format === null ? null : unknownField(format);
  if (unknown !== null) throw new UsageError(`--format: unknown field {${unknown}}; the fields are ${STATUS_FIELDS.map((f) => `{${f}}`).join(" ")}`);
  const timeout = flags.get("--timeout");
  return {
    ...serverOf(url),
    room,
    user: flags.get("--user") ?? (env.MOB_TIMER_USER || null),
    bell,
    format,
    timeoutMs: timeout === undefined ? DEFAULT_TIMEOUT_MS : timeoutOf(timeout),
  };
}
