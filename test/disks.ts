// Disks that fail on purpose, for the store's tests: a small tmpfs to fill up, an ext4 image
// on a loop device to freeze. Mounting needs root; without it (or where the sandbox refuses
// a mount) `path` is null and `reason` says why, for the test's skip message.
import { mkdtempSync, openSync, rmSync, unlinkSync, writeSync, closeSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestDisk extends AsyncDisposable {
  path: string | null;
  reason: string;
  /** Writes a file until the disk is full. */
  fill(): void;
  /** Deletes what fill() wrote. */
  free(): void;
  /** fsfreeze: writes and syncs wait until thaw(). Says whether the freeze was allowed. */
  freeze(): boolean;
  thaw(): void;
}

function run(command: string[]): string | null {
  const result = Bun.spawnSync(command, { stdout: "pipe", stderr: "pipe" });
  return result.exitCode === 0 ? null : `${command.join(" ")}: ${result.stderr.toString().trim() || `exit ${result.exitCode}`}`;
}

function unavailable(reason: string): TestDisk {
  const nothing = () => {};
  return { path: null, reason, fill: nothing, free: nothing, freeze: () => false, thaw: nothing, [Symbol.asyncDispose]: async () => {} };
}

/** A fresh disk mounted in a temporary directory: "tmpfs" with mount `options`, or "ext4" on a 32 MB image. */
export function mountedDisk(kind: "tmpfs" | "ext4", options: string): TestDisk {
  if (process.getuid?.() !== 0) return unavailable(`mounting a ${kind} disk needs root`);
  const base = mkdtempSync(join(tmpdir(), `mob-timer-disk-`));
  const path = join(base, "mnt");
  const image = join(base, "disk.img");
  const failure =
    run(["mkdir", path]) ??
    (kind === "tmpfs"
      ? run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path])
      : (run(["truncate", "-s", "32M", image]) ?? run(["mkfs.ext4", "-q", "-F", image]) ?? run(["mount", "-o", "loop", image, path])));
  if (failure) {
    rmSync(base, { recursive: true, force: true });
    return unavailable(`cannot mount a ${kind} disk here (${failure})`);
  }
  const filler = join(path, "filler");
  let frozen = false;
  const thaw = () => {
    if (frozen) run(["fsfreeze", "-u", path]);
    frozen = false;
  };
  return {
    path,
    reason: "",
    fill() {
      const fd = openSync(filler, "a");
      const chunk = new Uint8Array(16_384);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      if (existsSync(filler)) unlinkSync(filler);
    },
    freeze() {
      frozen = run(["fsfreeze", "-f", path]) === null;
      return frozen;
    },
    thaw,
    async [Symbol.asyncDispose]() {
      thaw();
      run(["umount", path]) && run(["umount", "-l", path]);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
