// The start page's counts, sent to its streams every COUNTS_SECONDS.
import type { SseChannel } from "../live/sse.ts";

export function countsJob(channel: SseChannel, counts: () => string, intervalMs: number): () => void {
  const timer = setInterval(() => channel.broadcast(counts), intervalMs);
  return () => clearInterval(timer);
}
