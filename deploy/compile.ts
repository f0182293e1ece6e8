// The one description of how the executable is built. `npm run build` and `npm run release`
// both come through here, so a released binary is built exactly as the one the tests run.
import { join } from "node:path";

const ENTRY = join(import.meta.dir, "..", "server.ts");

/** Compiles the server into one self-contained executable; without a target, for this machine. */
export async function compile(outfile: string, target?: Bun.Build.CompileTarget): Promise<void> {
  // Bun.build throws on failure, with the bundler's messages.
  await Bun.build({
    entrypoints: [ENTRY],
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
