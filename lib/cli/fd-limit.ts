// Every event stream holds a file descriptor. When the process runs out of them, Bun's
// accept loop fails in a busy loop at full CPU and even health goes unanswered, so the
// stream limit must leave room below the open-file limit. Bun already raises the soft limit
// to the hard one when it starts (checked on 1.4.5 under prlimit), so the limit read here is
// the most the process can have.

/**
 * The process's open-file limit, read from /proc/self/limits with Bun's own file reader
 * (node:fs would hold about 4 MB more in every server), or null where there is none to read.
 */
export async function readOpenFileLimit(): Promise<number | null> {
  try {
    return openFileLimit(await Bun.file("/proc/self/limits").text());
  } catch {
    return null;
  }
}

/** The open-file limit that a text of /proc/self/limits gives, or null for "unlimited". */
export function openFileLimit(text: string): number | null {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  return match && match[1] !== "unlimited" ? Number(match[1]) : null;
}

/**
 * Descriptors kept for everything that is not a stream: the listening socket, the database
 * and its journal, requests in flight, the runtime's own. A tenth of the limit, at least 64.
 */
export function descriptorsKept(fileLimit: number): number {
  return Math.max(64, Math.ceil(fileLimit / 10));
}

/** The most streams the open-file limit leaves room for. */
export function streamsWithin(fileLimit: number): number {
  return Math.max(1, fileLimit - descriptorsKept(fileLimit));
}
