// Entry point: configuration from the environment and flags, the app, Bun.serve, signals.
import { createApp, type App } from "./lib/app.ts";
import { systemClock } from "./lib/clock.ts";
import { ConfigError, loadConfig } from "./lib/config.ts";
import { createLogger } from "./lib/log.ts";
import { openStore } from "./lib/store-open.ts";
import { StoreError, type Store } from "./lib/store.ts";

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

const config = command.config;
const logger = createLogger("text");
let store: Store;
let app: App;
try {
  store = openStore(config, systemClock);
  app = await createApp(config, { logger, store });
} catch (error) {
  // A database that cannot be opened or read ends the start in one line, before any port opens.
  if (!(error instanceof StoreError)) throw error;
  console.error(`mob-timer: ${error.message}`);
  process.exit(1);
}
const server = Bun.serve({
  port: config.port,
  hostname: config.host,
  // A compiled binary would otherwise render errors as a page full of internals.
  development: false,
  fetch: app.fetch,
});
logger.log("info", "mob-timer started", { url: server.url.href, data: store.location, base: config.basePath || undefined });

async function shutdown(signal: string): Promise<void> {
  logger.log("info", "shutting down", { signal });
  await app.close();
  await server.stop(true);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
