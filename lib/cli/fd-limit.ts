// Every event stream holds a file descriptor. When the process runs out of them, Bun's
// accept loop fails in a busy loop at full CPU and even health goes unanswered, so the
// stream limit must leave room below the open-file limit. Bun already raises the soft limit
// to the hard one when it starts (checked on 1.4.5 under prlimit), so the limit read here is
// the most the process can have.
import { readFileSync } from "node:fs";

/** The process's open-file limit from /proc/self/limits, or null where there is none to read. */
export function openFileLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/self/limits", "utf8");
    } catch {
      return null;
    }
  }
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
