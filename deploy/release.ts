// `npm run release`: an executable for every platform we ship, and a SHA256SUMS that
// `sha256sum -c SHA256SUMS` checks downloads against. --out and --targets pick the
// directory and a subset of platforms (the tests build only this machine's).
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { compile } from "./compile.ts";

/** Servers and VMs, a Raspberry Pi, both kinds of Mac, Windows. */
const TARGETS: readonly Bun.Build.CompileTarget[] = [
  "bun-linux-x64",
  "bun-linux-arm64",
  "bun-darwin-arm64",
  "bun-darwin-x64",
  "bun-windows-x64",
];

/** mob-timer-linux-arm64, mob-timer-windows-x64.exe: the platform is in the name. */
function fileName(target: Bun.Build.CompileTarget): string {
  const platform = target.slice("bun-".length);
  return platform.startsWith("windows") ? `mob-timer-${platform}.exe` : `mob-timer-${platform}`;
}

async function sha256(path: string): Promise<string> {
  return new Bun.CryptoHasher("sha256").update(await Bun.file(path).bytes()).digest("hex");
}

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "dist/release" },
    targets: { type: "string", default: TARGETS.join(",") },
  },
});
const out = resolve(values.out);
// Bun.build refuses an unknown target by name ("Unknown compile target: bun-plan9-x64").
const targets = values.targets.split(",").map((t) => t.trim() as Bun.Build.CompileTarget);
mkdirSync(out, { recursive: true });
// A list left from an earlier run must not vouch for binaries this run replaces.
rmSync(join(out, "SHA256SUMS"), { force: true });

const sums: string[] = [];
for (const target of targets) {
  const name = fileName(target);
  const started = performance.now();
  await compile(join(out, name), target);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const megabytes = (statSync(join(out, name)).size / 1e6).toFixed(1);
  console.log(`${name}: ${megabytes} MB in ${seconds} s`);
  // Two spaces between hash and name: the line format of sha256sum and `sha256sum -c`.
  sums.push(`${await sha256(join(out, name))}  ${name}\n`);
}
writeFileSync(join(out, "SHA256SUMS"), sums.join(""));
console.log(`${join(out, "SHA256SUMS")}: checksums of ${targets.length} executables`);
