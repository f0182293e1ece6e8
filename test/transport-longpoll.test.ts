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
  here?: string[];
}

function viewOf(state: RoomState): View {
  const view: View = { id: state.seq, history: state.history.slice(0, -1), timer: state.history.at(-1) ?? EMPTY_TIMER, goal: state.goal };
  return { ...view, ...(state.team && { team: state.team }), ...(state.here && { here: state.here }) };
}

transportContract("long-poll", {
  async follow(s, room, since, user) {
    const url = `${s.url}/api/rooms/${room}`;
    const named = user === undefined ? "" : `user=${encodeURIComponent(user)}`;
    const abort = new AbortController();
    let seq = since ?? null;
    let latest: View | undefined;
    /** One request: the state at once, or the next change after `seq` within `wait` seconds. */
    const poll = async (wait: number) => {
      const response = await fetch(seq === null ? `${url}?${named}` : `${url}?since=${seq}&wait=${wait}&${named}`, { signal: abort.signal });
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
      async hereIs(names) {
        // Each answer has who is here; a wait ends when it changes, or within a second.
        while (JSON.stringify(latest?.here) !== JSON.stringify(names)) await poll(1);
        return latest!;
      },
      async [Symbol.asyncDispose]() {
        abort.abort();
      },
    };
  },
  refusal: (s, room, query) => fetch(`${s.url}/api/rooms/${room}?since=0&wait=5&${query}`),
});
