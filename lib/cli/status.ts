// `mob-timer status`: the room once, for a shell prompt or tmux's status line. It never
// holds a prompt longer than its timeout: on no answer it says what the cache last knew, or
// nothing; within a second of the last request it answers from the cache alone.
import type { Clock } from "../base/clock.ts";
import type { ClientOptions } from "./client-options.ts";
import { readRoom, Refused, Unreachable } from "./room-api.ts";
import { snapshotOf, type RoomSnapshot } from "./room-snapshot.ts";
import { FRESH_FOR_MS, type StatusCache } from "./status-cache.ts";
import { defaultStatus, formatStatus, statusFields } from "./status-format.ts";

export interface StatusAnswer {
  /** The line for the prompt; "" when the room is idle or nothing is known. */
  text: string;
  /** A refusal to say on stderr (a wrong key, a bad room name): exit 1. */
  error: string | null;
}

async function latest(options: ClientOptions, cache: StatusCache, clock: Clock): Promise<RoomSnapshot | null> {
  const cached = cache.read();
  const now = clock.now();
  const fresh = cached !== null && now >= cached.fetchedAt && now - cached.fetchedAt < FRESH_FOR_MS;
  // Another prompt asking right now answers for this one too.
  if (fresh || !cache.lock(now)) return cached?.snapshot ?? null;
  try {
    const snapshot = snapshotOf(await readRoom(options, AbortSignal.timeout(options.timeoutMs)));
    cache.write(snapshot, clock.now());
    return snapshot;
  } catch (error) {
    if (!(error instanceof Unreachable)) throw error;
    cache.write(cached?.snapshot ?? null, clock.now());
    return cached?.snapshot ?? null;
  } finally {
    cache.release();
  }
}

export async function status(options: ClientOptions, cache: StatusCache, clock: Clock): Promise<StatusAnswer> {
  let snapshot: RoomSnapshot | null;
  try {
    snapshot = await latest(options, cache, clock);
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { text: "", error: error.message };
  }
  const fields = snapshot && statusFields(snapshot, clock.now());
  if (!fields) return { text: "", error: null };
  return { text: options.format === null ? defaultStatus(fields, options.user) : formatStatus(options.format, fields), error: null };
}
