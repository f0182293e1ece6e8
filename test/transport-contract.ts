// One contract for the three ways a client follows a room (DESIGN.md rule 13): the event
// stream, the WebSocket and long-poll of the JSON API. Each transport's file gives a
// Follower that turns what arrives on its wire into the room as the client knows it, and
// checks the wire's own shape as it goes; the cases here hold for all three alike.
import { describe, expect, test } from "bun:test";
import { startServer, type TestServer } from "./helpers.ts";
import { EMPTY_TIMER, NO_GOAL } from "./protocol-suite.ts";

/** The room as a client following it knows it. */
export interface View {
  /** The id (seq) of the last change the client has heard of; 0 before any. */
  id: number;
  /** The history before the latest timer, as the opening gave it. */
  history: Record<string, unknown>[];
  /** The latest timer or break request, or the empty request. */
  timer: Record<string, unknown>;
  goal: Record<string, unknown>;
  /** The roster and cadence, in a team's room. */
  team?: Record<string, unknown>;
  /** Who is here, in a team's room, once told. */
  here?: string[];
}

export interface Follower extends AsyncDisposable {
  /** The view once the opening state has arrived. */
  opening(): Promise<View>;
  /** The view once the change with this id (and any before it) has arrived. */
  reached(id: number): Promise<View>;
  /** Resolves on the transport's sign of life while the room does not change. */
  keptAlive(): Promise<void>;
  /** The view once who is here is `names`. */
  hereIs(names: string[]): Promise<View>;
}

export interface Transport {
  /** Follows `room` from its opening state, or resuming after the change `since`; as `user` when given (`?user=`). */
  follow(s: TestServer, room: string, since?: number, user?: string): Promise<Follower>;
  /** The answer to an attempt to follow `room` with `query` that is refused. */
  refusal(s: TestServer, room: string, query: string): Promise<Response>;
}

/** One event as a transport delivers it, its data parsed. */
export interface Arrived {
  event: string;
  id: number | null;
  data: unknown;
}

/**
 * A follower for the transports that send events (the stream, the WebSocket): the opening's
 * three in their order, then each change with its id, keep-alives between.
 */
export function eventFollower(next: () => Promise<Arrived>, close: () => Promise<void>): Follower {
  const view: View = { id: 0, history: [], timer: EMPTY_TIMER, goal: NO_GOAL };
  const apply = ({ event, id, data }: Arrived) => {
    if (event === "INITIAL_HISTORY") view.history = data as Record<string, unknown>[];
    else if (event === "TIMER_REQUEST") view.timer = data as Record<string, unknown>;
    else if (event === "GOAL_REQUEST") view.goal = data as Record<string, unknown>;
    else if (event === "TEAM_UPDATE") view.team = data as Record<string, unknown>;
    if (id !== null) view.id = id;
  };
  /** Who is here is no change of the room: never numbered, it may come between any two. */
  const here = ({ event, id, data }: Arrived) => {
    if (event !== "HERE_UPDATE") return false;
    expect(id).toBeNull();
    view.here = (data as { here: string[] }).here;
    return true;
  };
  const change = async () => {
    for (;;) {
      const arrived = await next();
      if (arrived.event !== "KEEP_ALIVE" && !here(arrived)) return arrived;
    }
  };
  /** The opening's three events, in their order; `first` when one has arrived already. */
  const opening = async (first?: Arrived) => {
    const events = [first ?? (await change()), await change(), await change()];
    expect(events.map((e) => e.event)).toEqual(["INITIAL_HISTORY", "TIMER_REQUEST", "GOAL_REQUEST"]);
    // Only the goal, last, carries the room's id: the one a client resumes after.
    expect(events.slice(0, 2).map((e) => e.id)).toEqual([null, null]);
    for (const arrived of events) apply(arrived);
    return { ...view };
  };
  return {
    opening: () => opening(),
    async reached(id) {
      while (view.id < id) {
        const arrived = await change();
        // A client too far behind to be given the changes one by one gets the opening state again.
        if (arrived.event === "INITIAL_HISTORY") await opening(arrived);
        else {
          expect(arrived.id, `${arrived.event} carries its id`).toBeNumber();
          apply(arrived);
        }
      }
      return { ...view };
    },
    async keptAlive() {
      while ((await next()).event !== "KEEP_ALIVE");
    },
    async hereIs(names) {
      while (JSON.stringify(view.here) !== JSON.stringify(names)) {
        const arrived = await next();
        if (!here(arrived) && arrived.event !== "KEEP_ALIVE") apply(arrived);
      }
      return { ...view };
    },
    [Symbol.asyncDispose]: close,
  };
}

export function transportContract(name: string, transport: Transport): void {
  describe(`following a room by ${name}`, () => {
    test("a new room opens empty: no history, the empty timer request, no goal", async () => {
      await using s = await startServer();
      await using follower = await transport.follow(s, "fresh");
      expect(await follower.opening()).toEqual({ id: 0, history: [], timer: EMPTY_TIMER, goal: NO_GOAL });
    });

    test("the opening state is the room's, then every change arrives with its id", async () => {
      await using s = await startServer();
      await s.put("/r", { timer: 10, user: "alice" });
      await s.put("/r", { timer: 10, user: "bob" });
      await s.put("/r/goal", { goal: "ship it", user: "carol" });
      await using follower = await transport.follow(s, "r");
      const opening = await follower.opening();
      expect(opening.history).toMatchObject([{ user: "alice" }]);
      expect(opening.timer).toMatchObject({ user: "bob", nextUser: "alice", type: "TIMER" });
      expect(opening.goal).toMatchObject({ goal: "ship it", user: "carol" });
      expect(opening.id).toBe(3);
      await s.put("/r", { breaktimer: 5, user: "dave" });
      const afterBreak = await follower.reached(4);
      expect(afterBreak.timer).toMatchObject({ type: "BREAKTIMER", user: "dave" });
      await fetch(`${s.url}/r/goal`, { method: "DELETE", body: "{}" });
      expect((await follower.reached(5)).goal).toMatchObject({ goal: null });
    });

    test("a client resuming after an id catches up with the changes since, then follows on", async () => {
      await using s = await startServer();
      // Somebody follows the room while it changes, as a client that then drops out did.
      await using first = await transport.follow(s, "resume");
      await first.opening();
      await s.put("/resume", { timer: 1, user: "a" });
      await s.put("/resume", { timer: 1, user: "b" });
      await s.put("/resume/goal", { goal: "g" });
      await using back = await transport.follow(s, "resume", 1);
      const caughtUp = await back.reached(3);
      expect(caughtUp.timer).toMatchObject({ user: "b" });
      expect(caughtUp.goal).toMatchObject({ goal: "g" });
      await s.put("/resume", { timer: 1, user: "c" });
      expect((await back.reached(4)).timer).toMatchObject({ user: "c" });
    });

    test("a team's change arrives with its id: the roster as it is now", async () => {
      await using s = await startServer();
      await using follower = await transport.follow(s, "team");
      await follower.opening();
      const added = await fetch(`${s.url}/api/rooms/team/roster`, { method: "POST", body: JSON.stringify({ action: "add", name: "alice" }) });
      expect(added.status).toBe(200);
      const view = await follower.reached(1);
      expect(view.team).toMatchObject({ roster: { members: [{ name: "alice", away: false }] } });
    });

    test("a follower of a room that does not change gets a sign of life, and then still the next change", async () => {
      await using s = await startServer({ keepAliveMs: 200 });
      await using follower = await transport.follow(s, "quiet");
      await follower.opening();
      await follower.keptAlive();
      await s.put("/quiet", { timer: 5, user: "alice" });
      expect((await follower.reached(1)).timer).toMatchObject({ user: "alice", timer: 5 });
    });

    test("in a team's room, a follower who says who it is is here, and every follower hears who is", async () => {
      await using s = await startServer({ hereMs: 1000 });
      for (const name of ["alice", "bob"]) await fetch(`${s.url}/api/rooms/here/roster`, { method: "POST", body: JSON.stringify({ action: "add", name }) });
      await using watcher = await transport.follow(s, "here");
      await watcher.opening();
      await using alice = await transport.follow(s, "here", undefined, "alice");
      await alice.opening();
      expect((await watcher.hereIs(["alice"])).here).toEqual(["alice"]);
      await using bob = await transport.follow(s, "here", undefined, "bob");
      await bob.opening();
      await watcher.hereIs(["alice", "bob"]);
      await alice.hereIs(["alice", "bob"]);
    });

    test("a room that never opted in tells nobody who is here", async () => {
      await using s = await startServer({ hereMs: 1000 });
      await using alice = await transport.follow(s, "plain-here", undefined, "alice");
      await alice.opening();
      await s.put("/plain-here", { timer: 5, user: "alice" });
      expect((await alice.reached(1)).here).toBeUndefined();
    });

    test("a name that is no roster's name is refused before anything is followed", async () => {
      await using s = await startServer({ maxUserLength: 8 });
      for (const query of [`user=${"a".repeat(9)}`, "user=%20"]) {
        const refused = await transport.refusal(s, "named", query);
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { error: string }).error).toStartWith('"user" is');
      }
      expect(s.app.fanout.size).toBe(0);
    });
  });
}
