// The cache of `mob-timer status`: the room's last answer in a small file in the user's
// runtime directory, keyed by server and room, so that a prompt redrawn many times a second
// costs the server at most one request a second; the time left is worked out from the cached
// end time. A lock file taken with O_EXCL lets one of several prompts at once ask the server.
import { nodeFs, nodeOs, nodePath } from "../base/node-modules.ts";
import type { RoomSnapshot } from "./room-snapshot.ts";

/** How long an answer stands in for the server: a prompt asks it at most once in this time. */
export const FRESH_FOR_MS = 1000;
/** A lock older than this belongs to a prompt that died while asking. */
const STALE_LOCK_MS = 10_000;

export interface Cached {
  /** When the server was last asked, answering or not: a server that does not answer is asked once a second too. */
  fetchedAt: number;
  /** The room as last answered; null when it never answered. */
  snapshot: RoomSnapshot | null;
}

/** $XDG_RUNTIME_DIR/mob-timer (per user, on tmpfs), else a directory of this user's in the temporary directory. */
export function cacheDirectory(env: Record<string, string | undefined>): string {
  if (env.XDG_RUNTIME_DIR) return nodePath().join(env.XDG_RUNTIME_DIR, "mob-timer");
  return nodePath().join(nodeOs().tmpdir(), `mob-timer-${process.getuid?.() ?? env.USER ?? "user"}`);
}

export class StatusCache {
  private readonly file: string;
  /** Loaded with the first cache, which only the status command makes. */
  private readonly fs = nodeFs();

  constructor(
    private readonly directory: string,
    /** The server (without credentials) and the room. */
    key: string,
  ) {
    this.file = nodePath().join(directory, `${new Bun.CryptoHasher("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  }

  read(): Cached | null {
    try {
      this.checkDirectory();
      const cached = JSON.parse(this.fs.readFileSync(this.file, "utf8")) as Cached;
      return typeof cached.fetchedAt === "number" && typeof cached.snapshot === "object" ? cached : null;
    } catch {
      return null;
    }
  }

  write(snapshot: RoomSnapshot | null, now: number): void {
    try {
      this.ensureDirectory();
      // Whole or not at all: a prompt reading at the same moment never sees half a file.
      const partial = `${this.file}.${process.pid}`;
      this.fs.writeFileSync(partial, JSON.stringify({ fetchedAt: now, snapshot } satisfies Cached), { mode: 0o600 });
      this.fs.renameSync(partial, this.file);
    } catch {
      // A cache that cannot be written costs requests, not the answer.
    }
  }

  /** True when this caller may ask the server now; release() afterwards. */
  lock(now: number): boolean {
    const lock = `${this.file}.lock`;
    try {
      this.ensureDirectory();
      this.fs.closeSync(this.fs.openSync(lock, "wx", 0o600));
      return true;
    } catch {
      try {
        if (now - this.fs.statSync(lock).mtimeMs > STALE_LOCK_MS) this.fs.unlinkSync(lock);
      } catch {
        // Another prompt released or took it meanwhile.
      }
      return false;
    }
  }

  release(): void {
    try {
      this.fs.unlinkSync(`${this.file}.lock`);
    } catch {
      // Already gone.
    }
  }

  private ensureDirectory(): void {
    // Only this user may read what their rooms are doing.
    this.fs.mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    this.checkDirectory();
  }

  /** Throws unless the directory is this user's own: in a shared /tmp another user could have made it first. */
  private checkDirectory(): void {
    const found = this.fs.lstatSync(this.directory);
    const uid = process.getuid?.();
    if (!found.isDirectory() || (uid !== undefined && found.uid !== uid) || (found.mode & 0o077) !== 0) throw new Error("not this user's own directory");
  }
}
