// Heartbeats to every room listener once per interval, for proxies that close idle
// connections. The listeners are dealt into groups that take turns, so that no moment
// carries all of them.
import type { Fanout } from "../live/fanout.ts";

/** Groups of listeners: at the default 5 s, a quarter of them every 1.25 s. */
export const KEEP_ALIVE_GROUPS = 4;

export function keepAliveJob(fanout: Fanout, intervalMs: number): () => void {
  let tick = 0;
  let stopped = false;
  const timer = setInterval(() => void fanout.heartbeat(tick++, () => stopped), intervalMs / KEEP_ALIVE_GROUPS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
