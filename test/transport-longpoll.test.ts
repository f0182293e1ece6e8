// The transport contract (test/transport-contract.ts) over long-poll of the JSON API: each
// answer is the whole room, tagged by its seq; a wait at the room's seq is held until the
// next change, or answers 304 when it runs out.
import { expect } from "bun:test";
import { EMPTY_TIMER } from "./protocol-suite.ts";
import { transportContract, type View } from "./transport-contract.ts";

interface RoomState {
  seq: number;
  history: Record<string, unknown>[];
  goal: Record<string, unknown>;
  team?: Record<string, unknown>;
}

function viewOf(state: RoomState): View {
  const view: View = { id: state.seq, history: state.history.slice(0, -1), timer: state.history.at(-1) ?? EMPTY_TIMER, goal: state.goal };
  return state.team ? { ...view, team: state.team } : view;
}

transportContract("long-poll", {
  async follow(s, room, since) {
    const url = `${s.url}/api/rooms/${room}`;
    const abort = new AbortController();
    let seq = since ?? null;
    let latest: View | undefined;
    /** One request: the state at once, or the next change after `seq` within `wait` seconds. */
    const poll = async (wait: number) => {
      const response = await fetch(seq === null ? url : `${url}?since=${seq}&wait=${wait}`, { signal: abort.signal });
      if (response.status === 304) {
        expect(response.headers.get("etag")).toBe(`"${seq}"`);
        return null;
      }
      expect(response.status).toBe(200);
      const state = (await response.json()) as RoomState;
      expect(response.headers.get("etag")).toBe(`"${state.seq}"`);
      seq = state.seq;
      return (latest = viewOf(state));
    };
    return {
      async opening() {
        return (await poll(0))!;
      },
      async reached(id) {
        while (!latest || latest.id < id) await poll(25);
        return latest;
      },
      async keptAlive() {
        // A wait that runs out is long-poll's sign of life: 304, the room unchanged.
        expect(await poll(1)).toBeNull();
      },
      async [Symbol.asyncDispose]() {
        abort.abort();
      },
    };
  },
});
