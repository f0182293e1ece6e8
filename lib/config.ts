// Every setting of the server, with its default, unit and reason, in one table. Only
// server.ts reads the environment and argv; everything else receives a Config.
import type { LogFormat } from "./base/log.ts";
import { MAX_ROOM_STATS_DAYS } from "./domain/rotation-stats.ts";

export interface Config {
  port: number;
  host: string;
  /** Public base URL shown on pages and told to `mob`; empty: derived from each request. */
  publicUrl: string;
  /** Host names accepted besides the automatic ones, comma-separated; "*" accepts any. */
  allowedHosts: string;
  /** Path prefix the server lives under behind a proxy ("" or "/timer"). */
  basePath: string;
  /** Minutes a timer may run at most; the original clamps to one day. */
  maxMinutes: number;
  historyMs: number;
  /** Entries a room's history keeps at most, oldest dropped first. */
  maxHistory: number;
  /** Whether a team's rotation statistics name people; off, every turn counts as "someone". */
  roomStats: boolean;
  /** UTC days a team's rotation statistics are kept, today's included. */
  roomStatsDays: number;
  keepAliveMs: number;
  sweepMs: number;
  countsMs: number;
  /** How often the ends of timers in rooms that opted in are checked for time's up. */
  timeUpMs: number;
  /** How often each instance renews its report of who is here in team rooms and reads the others' again. */
  hereMs: number;
  maxBodyBytes: number;
  maxRoomNameLength: number;
  maxUserLength: number;
  maxGoalLength: number;
  trustProxy: boolean;
  authUser: string;
  authPassword: string;
  authFailures: number;
  /** Checks of room keys against their slow hash, per client address and per room, per minute. */
  keyTriesPerMinute: number;
  roomKeyTriesPerMinute: number;
  maxRooms: number;
  /** New rooms one client address may create per hour. */
  newRoomsPerHour: number;
  maxStreams: number;
  maxStreamsPerClient: number;
  writesPerMinute: number;
  readsPerMinute: number;
  streamOpensPerMinute: number;
  /** Seconds a WebSocket may stay silent before it is closed. */
  wsIdleSeconds: number;
  logFormat: LogFormat;
  /** Directory of the SQLite database; ":memory:" keeps nothing across restarts. */
  dataDir: string;
  inMemory: boolean;
  /** Redis shared by several instances (redis:// or rediss://); "" keeps the data in this process. */
  redisUrl: string;
  /** PEM file of the CA (or CAs) that a rediss:// Redis's certificate is checked against instead of the usual roots; "" for those. */
  redisCaFile: string;
  /** PEM files of the client certificate (its chain may follow) and its private key, for a Redis that asks for one (tls-auth-clients); "" for none. */
  redisCertFile: string;
  redisKeyFile: string;
  /** Host names webhooks may be sent to, comma-separated ("*.example.org" for a domain); "" allows any public host. */
  webhookAllowedHosts: string;
  /** Whether webhooks may go to loopback, private, link-local and unique-local addresses. */
  webhookAllowPrivate: boolean;
  webhooksPerRoom: number;
  webhookTimeoutMs: number;
  /** Tries of one delivery, the first included. */
  webhookAttempts: number;
  /** Wait before the first retry, doubled for each further one. */
  webhookBackoffMs: number;
  webhooksPerRoomPerMinute: number;
  /** Deliveries in a row that give up before a hook is paused. */
  webhookPauseAfter: number;
  /** Deliveries waiting or under way in this process at most; more are dropped. */
  webhookQueue: number;
}

interface Setting {
  key: keyof Config;
  env: string;
  flag: string;
  default: string;
  doc: string;
  parse: (raw: string) => Config[keyof Config];
  /** Never printed. */
  secret?: true;
  /** Printed this way, without the secret it holds. */
  shown?: (value: string) => string;
}

export class ConfigError extends Error {}

function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(`expected a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}

function scaled(unit: number, min: number, max: number) {
  const parse = integer(min, max);
  return (raw: string): number => parse(raw) * unit;
}

function text(raw: string): string {
  return raw;
}

function boolean(raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off|)$/i.test(raw)) return false;
  throw new ConfigError(`expected true or false, got "${raw}"`);
}

function logFormat(raw: string): LogFormat {
  if (raw === "text" || raw === "json") return raw;
  throw new ConfigError(`expected text or json, got "${raw}"`);
}

/** `raw` as a URL of one of `protocols`; `shown` is how an error quotes it. */
function urlOf(raw: string, protocols: readonly string[], expected: string, shown = raw): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`expected ${expected}, got "${shown}"`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`expected ${expected}, got "${shown}"`);
  return url;
}

function publicUrl(raw: string): string {
  if (raw === "") return "";
  urlOf(raw, ["http:", "https:"], "an http or https URL");
  return raw.replace(/\/+$/, "");
}

function hostList(raw: string): string {
  if (!/^[A-Za-z0-9.:[\]*_, -]*$/.test(raw)) throw new ConfigError(`expected host names separated by commas, got "${raw}"`);
  return raw;
}

function redisUrl(raw: string): string {
  if (raw === "") return "";
  const url = urlOf(raw, ["redis:", "rediss:"], "a redis:// or rediss:// (TLS) URL", withoutPassword(raw));
  if (url.hostname === "") throw new ConfigError(`expected a host name in "${withoutPassword(raw)}"`);
  return raw;
}

/** A URL as logs show it: the user stays, the password becomes ***. */
export function withoutPassword(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, "$1:***@");
}

function basePath(raw: string): string {
  const trimmed = raw.replace(/\/+$/, "");
  if (trimmed !== "" && !/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) {
    throw new ConfigError(`expected a path such as /timer, got "${raw}"`);
  }
  return trimmed;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const SETTINGS: readonly Setting[] = [
  { key: "port", env: "PORT", flag: "--port", default: "8080", doc: "TCP port to listen on (8080, as the original)", parse: integer(0, 65535) },
  { key: "host", env: "HOST", flag: "--host", default: "0.0.0.0", doc: "address to listen on (127.0.0.1 to accept only local clients)", parse: text },
  { key: "publicUrl", env: "PUBLIC_URL", flag: "--public-url", default: "", doc: "public URL shown on pages and given to mob (default: taken from each request)", parse: publicUrl },
  { key: "allowedHosts", env: "ALLOWED_HOSTS", flag: "--allowed-hosts", default: "", doc: "host names the server answers to besides its own (the listening address, localhost, loopback, the machine's names and addresses; with PUBLIC_URL only its name and loopback), comma-separated; * for any; others get 421", parse: hostList },
  { key: "basePath", env: "BASE_PATH", flag: "--base-path", default: "", doc: "path prefix when served under a sub-path by a proxy, e.g. /timer", parse: basePath },
  { key: "maxMinutes", env: "MAX_MINUTES", flag: "--max-minutes", default: "1440", doc: "timers and breaks are clamped to 0..this many minutes (one day, as the original)", parse: integer(1, 525600) },
  { key: "historyMs", env: "HISTORY_HOURS", flag: "--history-hours", default: "24", doc: "hours a timer stays in a room's history", parse: scaled(HOUR, 1, 8760) },
  { key: "maxHistory", env: "HISTORY_MAX_ENTRIES", flag: "--history-max-entries", default: "1000", doc: "entries a room's history keeps at most (oldest go first); bounds what a new listener is sent", parse: integer(1, 100_000) },
  { key: "roomStats", env: "ROOM_STATS", flag: "--room-stats", default: "true", doc: "count a team's rotation per person (turns, minutes, time to the next turn); false counts every turn as \"someone\", for the whole server", parse: boolean },
  { key: "roomStatsDays", env: "ROOM_STATS_DAYS", flag: "--room-stats-days", default: "30", doc: "days a team's rotation statistics are kept per room, day and person, beyond the history; GET /api/rooms/<room>/stats?days= reaches back this far", parse: integer(1, MAX_ROOM_STATS_DAYS) },
  { key: "keepAliveMs", env: "KEEP_ALIVE_SECONDS", flag: "--keep-alive-seconds", default: "5", doc: "seconds between KEEP_ALIVE events on room streams (5, as the original)", parse: scaled(SECOND, 1, 3600) },
  { key: "sweepMs", env: "SWEEP_SECONDS", flag: "--sweep-seconds", default: "60", doc: "seconds between sweeps that drop expired history", parse: scaled(SECOND, 1, 3600) },
  { key: "countsMs", env: "COUNTS_SECONDS", flag: "--counts-seconds", default: "1", doc: "seconds between listener/timer counts on /events (1, as the original)", parse: scaled(SECOND, 1, 3600) },
  { key: "timeUpMs", env: "TIME_UP_SECONDS", flag: "--time-up-seconds", default: "1", doc: "seconds between checks for timers that ended, in rooms with a roster or a cadence (TIME_UP events)", parse: scaled(SECOND, 1, 60) },
  { key: "hereMs", env: "HERE_SECONDS", flag: "--here-seconds", default: "10", doc: "seconds between an instance's heartbeats of who is here in team rooms (its report holds three of them, so that an instance that dies takes its people with it within four); a name lingers 30 s after its last connection, checked every tenth of this", parse: scaled(SECOND, 1, 60) },
  { key: "maxBodyBytes", env: "MAX_BODY_BYTES", flag: "--max-body-bytes", default: "16384", doc: "largest accepted request body in bytes; larger gets 413", parse: integer(256, 1048576) },
  { key: "maxRoomNameLength", env: "MAX_ROOM_NAME_LENGTH", flag: "--max-room-name-length", default: "128", doc: "longest room name in characters", parse: integer(1, 1024) },
  { key: "maxUserLength", env: "MAX_USER_LENGTH", flag: "--max-user-length", default: "256", doc: "longest user name in characters; longer gets 400", parse: integer(1, 4096) },
  { key: "trustProxy", env: "TRUST_PROXY", flag: "--trust-proxy", default: "false", doc: "take the client address from X-Forwarded-For and the public URL from X-Forwarded-Proto/-Host (only behind a proxy that sets them)", parse: boolean },
  { key: "authUser", env: "AUTH_USER", flag: "--auth-user", default: "", doc: "with AUTH_PASSWORD: HTTP Basic authentication on every route", parse: text },
  { key: "authPassword", env: "AUTH_PASSWORD", flag: "--auth-password", default: "", doc: "with AUTH_USER: the password (prefer the environment: flags show in ps)", parse: text, secret: true },
  { key: "authFailures", env: "AUTH_FAILURES", flag: "--auth-failures", default: "10", doc: "wrong passwords one client address may send before each further one locks it out for twice as long (1 s up to 15 min; 429 meanwhile)", parse: integer(1, 1_000_000) },
  { key: "keyTriesPerMinute", env: "KEY_TRIES_PER_MINUTE", flag: "--key-tries-per-minute", default: "10", doc: "room keys one client address may have checked per minute (a token bucket; a key found right once costs nothing after); more get 429", parse: integer(1, 1_000_000) },
  { key: "roomKeyTriesPerMinute", env: "ROOM_KEY_TRIES_PER_MINUTE", flag: "--room-key-tries-per-minute", default: "30", doc: "room keys that may be checked for one room per minute, from all addresses (a token bucket); more get 429", parse: integer(1, 1_000_000) },
  { key: "maxRooms", env: "MAX_ROOMS", flag: "--max-rooms", default: "10000", doc: "rooms held at once; a new room beyond gets 429", parse: integer(1, 10_000_000) },
  { key: "newRoomsPerHour", env: "NEW_ROOMS_PER_HOUR", flag: "--new-rooms-per-hour", default: "30", doc: "new rooms one client address may create per hour (a token bucket); more get 429", parse: integer(1, 10_000_000) },
  { key: "maxStreams", env: "MAX_STREAMS", flag: "--max-streams", default: "20000", doc: "open event streams in total; more get 429 (lowered at start to fit the open-file limit)", parse: integer(1, 10_000_000) },
  { key: "maxStreamsPerClient", env: "MAX_STREAMS_PER_CLIENT", flag: "--max-streams-per-client", default: "200", doc: "open event streams from one client address; more get 429", parse: integer(1, 10_000_000) },
  { key: "writesPerMinute", env: "WRITES_PER_MINUTE", flag: "--writes-per-minute", default: "120", doc: "timer and goal changes per client address per minute (a token bucket); more get 429", parse: integer(1, 100_000_000) },
  { key: "readsPerMinute", env: "READS_PER_MINUTE", flag: "--reads-per-minute", default: "600", doc: "GET and HEAD requests per client address per minute, event streams and assets aside (a token bucket; no person or page comes near); more get 429", parse: integer(1, 100_000_000) },
  { key: "streamOpensPerMinute", env: "STREAM_OPENS_PER_MINUTE", flag: "--stream-opens-per-minute", default: "300", doc: "event streams opened per client address per minute (a token bucket), apart from how many are open at once; more get 429", parse: integer(1, 100_000_000) },
  { key: "wsIdleSeconds", env: "WS_IDLE_SECONDS", flag: "--ws-idle-seconds", default: "60", doc: "seconds a room's WebSocket may stay silent (no message, no pong to the server's pings, sent with every keep-alive) before it is dropped, checked on each keep-alive round", parse: integer(1, 3600) },
  { key: "logFormat", env: "LOG_FORMAT", flag: "--log-format", default: "text", doc: "log lines as text or json", parse: logFormat },
  { key: "dataDir", env: "DATA_DIR", flag: "--data-dir", default: "./data", doc: "directory for the database of rooms, goals and statistics (created if missing); :memory: is --in-memory", parse: text },
  { key: "inMemory", env: "IN_MEMORY", flag: "--in-memory", default: "false", doc: "keep nothing across restarts, as the original does", parse: boolean },
  { key: "redisUrl", env: "REDIS_URL", flag: "--redis-url", default: "", doc: "redis://[user:password@]host:6379/0 (rediss:// for TLS): keep rooms, goals and statistics in this Redis, shared by every instance given the same URL, instead of DATA_DIR (see Several instances)", parse: redisUrl, shown: withoutPassword },
  { key: "redisCaFile", env: "REDIS_CA_FILE", flag: "--redis-ca-file", default: "", doc: "PEM file of the private CA that signed the certificate of a rediss:// REDIS_URL; read at start, and trusted for Redis instead of the public CAs (default: the public CAs)", parse: text },
  { key: "redisCertFile", env: "REDIS_CERT_FILE", flag: "--redis-cert-file", default: "", doc: "with REDIS_KEY_FILE: PEM file of the client certificate an instance shows a rediss:// Redis that asks for one (tls-auth-clients yes), any intermediate CA certificates after it; read at start", parse: text },
  { key: "redisKeyFile", env: "REDIS_KEY_FILE", flag: "--redis-key-file", default: "", doc: "with REDIS_CERT_FILE: PEM file of that certificate's private key, unencrypted; read at start and checked against the certificate", parse: text },
  { key: "webhookAllowedHosts", env: "WEBHOOK_ALLOWED_HOSTS", flag: "--webhook-allowed-hosts", default: "", doc: "host names rooms' webhooks may be sent to, comma-separated (*.example.org for a domain and its subdomains); others are refused (default: any public host)", parse: hostList },
  { key: "webhookAllowPrivate", env: "WEBHOOK_ALLOW_PRIVATE", flag: "--webhook-allow-private", default: "false", doc: "let webhooks go to loopback, private, link-local and unique-local addresses (a public server must not: rooms could probe its network)", parse: boolean },
  { key: "webhooksPerRoom", env: "WEBHOOKS_PER_ROOM", flag: "--webhooks-per-room", default: "10", doc: "webhooks one room may have; more get 400", parse: integer(0, 1000) },
  { key: "webhookTimeoutMs", env: "WEBHOOK_TIMEOUT_SECONDS", flag: "--webhook-timeout-seconds", default: "5", doc: "seconds one webhook call may take, connecting and answering, before it counts as failed", parse: scaled(SECOND, 1, 60) },
  { key: "webhookAttempts", env: "WEBHOOK_ATTEMPTS", flag: "--webhook-attempts", default: "4", doc: "tries of one webhook delivery, the first included; only 5xx, 429, timeouts and network errors are tried again", parse: integer(1, 10) },
  { key: "webhookBackoffMs", env: "WEBHOOK_BACKOFF_SECONDS", flag: "--webhook-backoff-seconds", default: "2", doc: "seconds before a webhook's first retry, doubling for each further one (or the receiver's Retry-After, up to a minute)", parse: scaled(SECOND, 1, 600) },
  { key: "webhooksPerRoomPerMinute", env: "WEBHOOKS_PER_ROOM_PER_MINUTE", flag: "--webhooks-per-room-per-minute", default: "30", doc: "webhook deliveries one room may start per minute (a token bucket, per instance); more are dropped with a log line", parse: integer(1, 100_000) },
  { key: "webhookPauseAfter", env: "WEBHOOK_PAUSE_AFTER", flag: "--webhook-pause-after", default: "5", doc: "deliveries in a row that give up before a webhook is paused (the room page shows it; resumed from the page or the API)", parse: integer(1, 1000) },
  { key: "webhookQueue", env: "WEBHOOK_QUEUE", flag: "--webhook-queue", default: "1000", doc: "webhook deliveries waiting or under way in one instance at most; more are dropped with a log line", parse: integer(1, 1_000_000) },
  { key: "maxGoalLength", env: "MAX_GOAL_LENGTH", flag: "--max-goal-length", default: "256", doc: "goals longer than this are cut, ending in ... (256, as the original)", parse: integer(4, 4096) },
];

export function defaultConfig(): Config {
  const config = {} as Record<keyof Config, unknown>;
  for (const setting of SETTINGS) config[setting.key] = setting.parse(setting.default);
  return config as Config;
}

export type Command =
  | { kind: "serve"; config: Config }
  | { kind: "help"; text: string }
  | { kind: "version" }
  | { kind: "health-check"; config: Config }
  /** Every room and the statistics of the configured store, as JSON lines on stdout. */
  | { kind: "export"; config: Config }
  /** An export's lines from stdin into the configured store. */
  | { kind: "import"; config: Config }
  /** `mob-timer rooms release NAME`: the room's team loses its key, and the room is everyone's again. */
  | { kind: "release-room"; config: Config; room: string }
  /** `mob-timer watch` or `status`: a client of a server, with options of its own (lib/cli/client-options.ts). */
  | { kind: "client"; command: "watch" | "status"; argv: readonly string[] };

/** Commands given as the first word (`mob-timer export`); the settings say which store. */
const WORDS = ["export", "import"] as const;

/**
 * Flags win over environment variables, which win over defaults. Flags take `--name value`
 * or `--name=value`; a yes/no flag alone means yes (`--in-memory`).
 */
export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[]): Command {
  if (argv[0] === "watch" || argv[0] === "status") return { kind: "client", command: argv[0], argv: argv.slice(1) };
  const config = defaultConfig() as unknown as Record<keyof Config, unknown>;
  const fromFlags = new Map<string, string>();
  let healthCheck = false;
  const word = WORDS.find((w) => w === argv[0]);
  const releasing = argv[0] === "rooms";
  if (releasing && (argv[1] !== "release" || argv[2] === undefined || argv[2].startsWith("-"))) throw new ConfigError("usage: mob-timer rooms release NAME [options]");
  for (let i = word ? 1 : releasing ? 3 : 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { kind: "help", text: helpText() };
    if (arg === "--version" || arg === "-v") return { kind: "version" };
    // The check reads the same settings as the server it checks, so it finds its port and path.
    if (arg === "--health-check") {
      healthCheck = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const setting = SETTINGS.find((s) => s.flag === flag);
    if (!setting) throw new ConfigError(`unknown option ${arg} (see --help)`);
    const value = eq !== -1 ? arg.slice(eq + 1) : setting.parse === boolean ? "true" : argv[++i];
    if (value === undefined) throw new ConfigError(`${flag} needs a value`);
    fromFlags.set(flag, value);
  }
  for (const setting of SETTINGS) {
    const raw = fromFlags.get(setting.flag) ?? env[setting.env];
    if (raw === undefined) continue;
    try {
      config[setting.key] = setting.parse(raw);
    } catch (error) {
      const source = fromFlags.has(setting.flag) ? setting.flag : setting.env;
      throw new ConfigError(`${source}: ${(error as Error).message}`);
    }
  }
  if (releasing) return { kind: "release-room", config: config as unknown as Config, room: argv[2]! };
  return { kind: word ?? (healthCheck ? "health-check" : "serve"), config: config as unknown as Config };
}

export function helpText(): string {
  const rows = SETTINGS.map((s) => {
    const shown = s.default === "" ? "(none)" : s.default;
    return `  ${`${s.flag} / ${s.env}`.padEnd(46)} default ${shown}\n      ${s.doc}`;
  });
  return [
    "mob-timer: a self-hosted timer.mob.sh server",
    "",
    "Usage: mob-timer [options]",
    "       mob-timer export [options] > backup.jsonl   every room and the statistics of the store the options name",
    "       mob-timer import [options] < backup.jsonl   an export into that store (rooms of the same name are replaced)",
    "       mob-timer rooms release NAME [options]      take the room from the team that claimed it (SQLite: with its server stopped)",
    "       mob-timer watch [--url URL] [--room ROOM] [--user NAME] [--no-bell]",
    "                                                   follow a room's timer in the terminal (MOB_TIMER_URL, _ROOM, _USER as for mob)",
    "       mob-timer status [--format TEXT] [--timeout MS] ...",
    "                                                   the time left and who is next, once, for a prompt or tmux",
    "                                                   (mob-timer watch --help and status --help say more)",
    "",
    "Every option can also be set through its environment variable; a flag wins.",
    "",
    ...rows,
    "",
    "  --health-check  ask the server running with these settings for /api/health; exit 0 if healthy",
    "  --version / -v  print the version",
    "  --help / -h     show this text",
  ].join("\n");
}

/** Settings that differ from their defaults, for the start-up log line; secrets masked. */
export function changedSettings(config: Config): Record<string, string> {
  const defaults = defaultConfig();
  const changed: Record<string, string> = {};
  for (const setting of SETTINGS) {
    if (config[setting.key] === defaults[setting.key]) continue;
    const value = String(config[setting.key]);
    changed[setting.env] = setting.secret ? "(set)" : setting.shown ? setting.shown(value) : value;
  }
  return changed;
}
