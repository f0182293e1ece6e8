// `mob-timer watch` and `mob-timer status`: the executable as a client of a mob-timer
// server, with the I/O of a process (stdout, stderr, signals) around the commands.
import { systemClock } from "../base/clock.ts";
import { clientHelp, clientOptions, UsageError, type ClientCommand } from "./client-options.ts";
import { cacheDirectory, StatusCache } from "./status-cache.ts";
import { status } from "./status.ts";
import { SHOW_CURSOR, Watch } from "./watch.ts";

/** The exit code: 0 done, 1 refused by the server, 2 called wrongly. */
export async function runClient(command: ClientCommand, env: Record<string, string | undefined>, argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = clientOptions(command, env, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`mob-timer ${command}: ${error.message}`);
    return 2;
  }
  if (options === "help") {
    console.log(clientHelp());
    return 0;
  }
  const fail = (message: string) => console.error(`mob-timer ${command}: ${message}`);
  if (command === "status") {
    const cache = new StatusCache(cacheDirectory(env), `${options.server.href} ${options.room}`);
    const answer = await status(options, cache, systemClock);
    if (answer.error !== null) fail(answer.error);
    if (answer.text !== "") console.log(answer.text);
    return answer.error === null ? 0 : 1;
  }
  const tty = process.stdout.isTTY === true;
  const watch = new Watch(options, { write: (text) => process.stdout.write(text), isTTY: tty, columns: () => process.stdout.columns || 80 }, systemClock, fail);
  // Whatever ends the process, a terminal gets its cursor back.
  if (tty) process.on("exit", () => process.stdout.write(SHOW_CURSOR));
  process.on("SIGINT", () => watch.stop());
  process.on("SIGTERM", () => watch.stop());
  // A pipe closed by its reader (`| head`) ends the watch quietly.
  process.stdout.on("error", () => watch.stop());
  watch.start();
  return watch.done;
}
