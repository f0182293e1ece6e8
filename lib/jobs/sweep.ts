// Housekeeping every SWEEP_SECONDS: history past the retention, and per-address budgets
// that have refilled.
import type { Clock } from "../base/clock.ts";
import type { Rooms } from "../domain/rooms.ts";
import type { Logger } from "../base/log.ts";

export function sweepJob(rooms: Rooms, budgets: readonly { prune(now: number): void }[], clock: Clock, logger: Logger, intervalMs: number): () => void {
  const timer = setInterval(() => {
    for (const budget of budgets) budget.prune(clock.now());
    rooms.sweep().catch((error) => logger.log("error", "sweep failed", { error: String(error) }));
  }, intervalMs);
  return () => clearInterval(timer);
}
