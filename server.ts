// Entry point: configuration from the environment and flags, the app, Bun.serve, signals.
import { createApp, type App } from "./lib/app.ts";
import { DomainError } from "./lib/domain/errors.ts";
import { systemClock } from "./lib/base/clock.ts";
import { changedSettings, ConfigError, loadConfig, type Config } from "./lib/config.ts";
import { readOpenFileLimit } from "./lib/cli/fd-limit.ts";
import { checkHealth } from "./lib/cli/health-check.ts";
import { runClient } from "./lib/cli/client-command.ts";
import { createLogger } from "./lib/base/log.ts";
import { checkStartup } from "./lib/cli/startup-checks.ts";
import { openStore } from "./lib/store/open.ts";
import { StoreError, StoreUnavailable, type Store } from "./lib/store/store.ts";
import { linesOf } from "./lib/base/lines.ts";
import { releaseRoom } from "./lib/cli/release-room.ts";
import { exportLines, importLines, TransferError } from "./lib/store/transfer.ts";
import { VERSION } from "./lib/base/version.ts";

let command;
try {
  command = loadConfig(process.env, process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`mob-timer: ${error.message}`);
  process.exit(2);
}
if (command.kind === "help") {
  console.log(command.text);
  process.exit(0);
}
if (command.kind === "client") {
  process.exit(await runClient(command.command, process.env, command.argv));
}
if (command.kind === "version") {
  console.log(`mob-timer ${VERSION}`);
  process.exit(0);
}
if (command.kind === "health-check") {
  const { healthy, line } = await checkHealth(command.config);
  console.log(line);
  process.exit(healthy ? 0 : 1);
}

if (command.kind === "export" || command.kind === "import") {
  process.exit(await transfer(command.kind, command.config));
}

if (command.kind === "release-room") {
  try {
    console.log(`mob-timer: ${await releaseRoom(command.config, command.room, systemClock)}`);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof StoreError || error instanceof StoreUnavailable || error instanceof DomainError)) throw error;
    console.error(`mob-timer: rooms release failed: ${error.message}`);
    process.exit(1);
  }
}

/**
 * Export or import through the store the settings name. An export runs beside any server
 * using it: Redis is shared anyway, and SQLite is read while its server owns it. Log lines would mix with the export on stdout, so the store logs
 * nothing and a failure is one line on stderr.
 */
async function transfer(kind: "export" | "import", config: Config): Promise<number> {
  let store: Store | undefined;
  try {
    store = await openStore(config, systemClock, undefined, kind === "export");
    if (kind === "export") {
      const out = Bun.stdout.writer();
      for await (const line of exportLines(store, systemClock.now())) out.write(`${line}\n`);
      await out.flush();
    } else {
      const { rooms, stats } = await importLines(store, linesOf(Bun.stdin.stream()));
      console.error(`mob-timer: imported ${rooms} rooms${stats ? " and the statistics" : ""} into ${store.location}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof StoreError || error instanceof StoreUnavailable || error instanceof TransferError)) throw error;
    console.error(`mob-timer: ${kind} failed: ${error.message}`);
    return 1;
  } finally {
    await store?.close();
  }
}

const { config, warnings } = checkStartup(command.config, await readOpenFileLimit());
const logger = createLogger(config.logFormat);
let store: Store;
let app: App;
try {
  store = await openStore(config, systemClock, logger);
  app = await createApp(config, { logger, store });
} catch (error) {
  // A database that cannot be opened or read ends the start in one line, before any port opens.
  if (!(error instanceof StoreError)) throw error;
  console.error(`mob-timer: ${error.message}`);
  process.exit(1);
}
// After the store opened: a start that fails says so in its one line alone.
for (const warning of warnings) logger.log("warn", warning.message, warning.fields);
const server = Bun.serve({
  port: config.port,
  hostname: config.host,
  // A compiled binary would otherwise render errors as a page full of internals.
  development: false,
  fetch: app.fetch,
  websocket: app.websocket,
});
logger.log("info", "mob-timer started", { version: VERSION, url: server.url.href, data: store.location, ...changedSettings(config) });

/** Operators and supervisors expect an exit within 2 s of SIGTERM, whatever is open. */
const SHUTDOWN_DEADLINE_MS = 2000;

async function shutdown(signal: string): Promise<void> {
  logger.log("info", "shutting down", { signal });
  setTimeout(() => {
    logger.log("error", "shutdown took too long; exiting anyway");
    logger.flush();
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  // Stop accepting first, then end the streams that would keep stop() waiting.
  const stopped = server.stop();
  await app.close();
  await stopped;
  logger.log("info", "stopped");
  logger.flush();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
