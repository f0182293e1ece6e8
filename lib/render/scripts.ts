// Imported `with { type: "macro" }` by lib/render/assets.ts: the browser scripts, TypeScript modules
// in pages/scripts/, are bundled here when the server is bundled (or transpiled), one file
// per page, and only the bundled text ends up in the program. So `bun server.ts` and the
// compiled executable serve the same scripts, and the executable carries them inside.

/** The pages' entry modules: one served script each, named after its page. */
const ENTRIES = ["room", "index", "help", "stats"] as const;

export type ScriptName = (typeof ENTRIES)[number];

/**
 * One page's script, bundled into one self-contained file that defines no globals. A macro
 * may not call Bun.build (the bundler would wait on itself), so the bundler's command runs.
 */
function bundle(name: ScriptName): string {
  const entry = `${import.meta.dir}/../../pages/scripts/${name}.ts`;
  const child = Bun.spawnSync([process.execPath, "build", entry, "--target=browser", "--format=iife", "--minify"], {
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (!child.success) throw new Error(`bundling pages/scripts/${name}.ts failed:\n${child.stderr.toString()}`);
  return child.stdout.toString();
}

export function bundledScripts(): Record<ScriptName, string> {
  return Object.fromEntries(ENTRIES.map((name) => [name, bundle(name)])) as Record<ScriptName, string>;
}
