// The one description of how the executable is built. `npm run build` and `npm run release`
// both come through here, so a released binary is built exactly as the one the tests run.
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const ENTRY = join(ROOT, "server.ts");
/**
 * Code that runs in a Worker: Bun embeds it only as an entrypoint of its own, under its
 * path from the repository root (the entrypoints' common folder), where lib/store/sqlite.ts
 * looks for it inside the executable.
 */
const WORKERS = [join(ROOT, "lib/store/sqlite-worker.ts")];

/**
 * Compiles the server (or another `entry` of this repository, for a test) into one
 * self-contained executable; without a target, for this machine.
 */
export async function compile(outfile: string, target?: Bun.Build.CompileTarget, entry = ENTRY): Promise<void> {
  // Bun.build throws on failure, with the bundler's messages.
  await Bun.build({
    entrypoints: [entry, ...WORKERS],
    minify: true,
    compile: {
      // Bun refuses `target: undefined`; left out, it means this machine.
      ...(target && { target }),
      outfile,
      // The server takes its settings from the environment and flags only: a .env or
      // bunfig.toml in whatever directory an operator starts it from must change nothing.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
  });
}
