// Entry point: configuration from the environment and flags, the app, Bun.serve, signals.
import { createApp } from "./lib/app.ts";
import { ConfigError, loadConfig } from "./lib/config.ts";
import { createLogger } from "./lib/log.ts";

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
const app = await createApp(config, { logger });
const server = Bun.serve({
  port: config.port,
  hostname: config.host,
  // A compiled binary would otherwise render errors as a page full of internals.
  development: false,
  fetch: app.fetch,
});
logger.log("info", "mob-timer started", { url: server.url.href, base: config.basePath || undefined });

async function shutdown(signal: string): Promise<void> {
  logger.log("info", "shutting down", { signal });
  await app.close();
  await server.stop(true);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
