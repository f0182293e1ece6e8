// Long-poll of the room's JSON state, for when its event stream is held back: each answer is
// handed to the same handlers as the stream's opening events, then the next request waits
// for the change after it.
import type { TeamUpdate } from "./roster.ts";
import type { Handlers } from "./stream.ts";
import type { GoalRequest, TimerEntry } from "./wire.ts";

/** The room as GET /api/rooms/<room> answers it (the fields the page reads). */
interface RoomState {
  seq: number;
  history: TimerEntry[];
  goal: GoalRequest;
  /** Only in a room with a roster or a cadence. */
  team?: TeamUpdate;
}

const WAIT_SECONDS = 25;
const EMPTY_REQUEST = { timer: 0, requested: null, user: null, nextUser: null, type: null };
const MAX_RETRY_MS = 30_000;

function show(state: RoomState, handlers: Handlers): void {
  const latest = state.history[state.history.length - 1];
  handlers.INITIAL_HISTORY?.(state.history.slice(0, -1) as never);
  handlers.TIMER_REQUEST?.((latest ?? EMPTY_REQUEST) as never);
  handlers.GOAL_REQUEST?.(state.goal as never);
  if (state.team) handlers.TEAM_UPDATE?.(state.team as never);
}

/** Polls until the returned function is called; `reached` says whether the server answers. `headers` go with every request (a room's key). */
export function longPoll(url: string, handlers: Handlers, reached: (ok: boolean) => void, headers: Record<string, string> = {}): () => void {
  let stopped = false;
  const abort = new AbortController();
  (async () => {
    let seq: number | null = null;
    let failures = 0;
    while (!stopped) {
      try {
        const response = await fetch(seq === null ? url : `${url}?since=${seq}&wait=${WAIT_SECONDS}`, { signal: abort.signal, cache: "no-store", headers });
        if (response.status === 200) {
          const state = (await response.json()) as RoomState;
          if (stopped) return;
          seq = state.seq;
          show(state, handlers);
        } else if (response.status !== 304) throw new Error(`status ${response.status}`);
        failures = 0;
        reached(true);
      } catch {
        if (stopped) return;
        reached(false);
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RETRY_MS, 1000 * 2 ** failures++)));
      }
    }
  })();
  return () => {
    stopped = true;
    abort.abort();
  };
}
