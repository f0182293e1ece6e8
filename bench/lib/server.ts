// The server under test as a child process: on a free loopback port, with its own temporary
// data directory, its output in a file there, and always stopped and removed afterwards,
// even when the bench is interrupted or overruns its deadline.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");

export interface ServerOptions {
  /** The command to run; default: this checkout's server.ts under the running Bun. */
  command?: string[];
  inMemory?: boolean;
  /** Settings on top of the bench's raised limits. */
  env?: Record<string, string>;
  /** A data directory to reuse (a prepared database); default: a fresh one. */
  dataDir?: string;
}

export interface BenchServer extends AsyncDisposable {
  url: string;
  pid: number;
  /** From spawn until the first `200` to `GET /`. */
  startMs: number;
  /** The last lines the server printed, for a failure report. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** Limits that would refuse the bench's load and measure the limiter instead of the server. */
export const RAISED_LIMITS = {
  MAX_STREAMS: "1000000",
  MAX_STREAMS_PER_CLIENT: "1000000",
  WRITES_PER_MINUTE: "100000000",
  READS_PER_MINUTE: "100000000",
  STREAM_OPENS_PER_MINUTE: "100000000",
  MAX_ROOMS: "1000000",
  NEW_ROOMS_PER_HOUR: "10000000",
};

const live = new Set<() => void>();

function killAll(): void {
  for (const cleanup of [...live]) cleanup();
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Ends the bench after `ms` whatever it is waiting for, so that it always stops by itself. */
export function deadline(ms: number): void {
  setTimeout(() => {
    console.error(`bench: gave up after ${Math.round(ms / 1000)} s`);
    killAll();
    process.exit(3);
  }, ms).unref();
}

/**
 * A port below the ephemeral range (32768-60999): thousands of listener connections take
 * local ports from that range, and one could grab ours between this check and the bind.
 */
export function freePort(): number {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } }).stop(true);
      return port;
    } catch {
      // Taken; try another.
    }
  }
  throw new Error("no free port found in 20000-31999");
}

/** Polls `GET /` until it answers 200; resolves with the milliseconds since `since`. */
export async function waitUntilServing(url: string, since: number, alive: () => boolean, timeoutMs = 15_000): Promise<number> {
  const giveUp = since + timeoutMs;
  while (performance.now() < giveUp && alive()) {
    try {
      const response = await fetch(`${url}/`);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - since;
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(1);
  }
  throw new Error(alive() ? `no 200 from GET ${url}/ within ${timeoutMs} ms` : "the server exited while starting");
}

export async function startServer(options: ServerOptions = {}): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-bench-"));
  const log = join(dir, "server.log");
  const port = freePort();
  const storage = options.inMemory ? { IN_MEMORY: "true" } : { DATA_DIR: options.dataDir ?? join(dir, "data") };
  const command = options.command ?? [process.execPath, join(ROOT, "server.ts")];
  // One descriptor for both streams, so that their lines interleave instead of overwriting.
  const output = openSync(log, "a");
  const started = performance.now();
  // The working directory is the temporary one: nothing lands in the checkout, and no
  // .env or bunfig.toml of the operator's changes the server.
  const child = Bun.spawn(command, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), ...RAISED_LIMITS, ...storage, ...options.env },
    stdout: output,
    stderr: output,
  });
  closeSync(output);
  const kill = () => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    live.delete(kill);
  };
  live.add(kill);
  const url = `http://127.0.0.1:${port}`;
  const logTail = (lines = 20) => {
    try {
      return readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no output)";
    }
  };
  const stop = async () => {
    if (!live.has(kill)) return;
    child.kill("SIGTERM");
    // The server promises to exit within 2 s of SIGTERM; past that it is killed.
    await Promise.race([child.exited, Bun.sleep(3000)]);
    kill();
  };
  let startMs: number;
  try {
    startMs = await waitUntilServing(url, started, () => child.exitCode === null);
  } catch (error) {
    const tail = logTail();
    kill();
    throw new Error(`${(error as Error).message}; server output:\n${tail}`);
  }
  return { url, pid: child.pid, startMs, logTail, stop, [Symbol.asyncDispose]: stop };
}
