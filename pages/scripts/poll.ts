// Long-poll of the room's JSON state, for when its event stream is held back: each answer is
// handed to the same handlers as the stream's opening events, then the next request waits
// for the change after it.
import { NO_TIMER } from "../../lib/domain/changes.ts";
import type { RoomData } from "../../lib/live/wire.ts";
import type { Handlers } from "./wire.ts";

const WAIT_SECONDS = 25;
const MAX_RETRY_MS = 30_000;

function show(state: RoomData, handlers: Handlers): void {
  const latest = state.history[state.history.length - 1];
  handlers.INITIAL_HISTORY?.(state.history.slice(0, -1));
  handlers.TIMER_REQUEST?.(latest ?? NO_TIMER);
  handlers.GOAL_REQUEST?.(state.goal);
  // As the stream's opening has it: the roster and cadence, for no change in particular.
  if (state.team) handlers.TEAM_UPDATE?.({ roster: state.team.roster, cadence: state.team.cadence, cause: null });
  if (state.here) handlers.HERE_UPDATE?.({ here: state.here });
}

/** `url` with `since` and `wait` added to whatever query it has (the viewer's `user`). */
function waitUrl(url: string, since: number): string {
  const waiting = new URL(url, location.href);
  waiting.searchParams.set("since", String(since));
  waiting.searchParams.set("wait", String(WAIT_SECONDS));
  return waiting.href;
}

/**
 * Polls until the returned function is called; `reached` says whether the server answers.
 * `url` is asked for at every request (it names the viewer, who may give a name later);
 * `headers` go with every request (a room's key).
 */
export function longPoll(url: () => string, handlers: Handlers, reached: (ok: boolean) => void, headers: Record<string, string> = {}): () => void {
  let stopped = false;
  const abort = new AbortController();
  (async () => {
    let seq: number | null = null;
    let failures = 0;
    while (!stopped) {
      try {
        const response = await fetch(seq === null ? url() : waitUrl(url(), seq), { signal: abort.signal, cache: "no-store", headers });
        if (response.status === 200) {
          const state = (await response.json()) as RoomData;
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
