// PROTOCOL.md against one server: the shared suite (test/protocol-suite.ts), and what only a
// server in this process shows (what it keeps in memory, a store that is slow on purpose).
import { describe, expect, test } from "bun:test";
import { MemoryStore } from "../lib/store/memory.ts";
import { EventReader, ManualClock, eventually, startServer } from "./helpers.ts";
import { protocolSuite } from "./protocol-suite.ts";

protocolSuite(startServer);

describe("housekeeping in memory", () => {
  test("a room with no history, no goal and no listener is forgotten", async () => {
    const clock = new ManualClock();
    await using s = await startServer({ sweepMs: 20 }, { clock });
    await s.put("/brief", { timer: 1 });
    const events = await EventReader.open(`${s.url}/brief/events`);
    await events.replay();
    clock.advance(25 * 60 * 60_000);
    await events.next("TIMER_REQUEST");
    // Swept empty, but somebody still listens: the room stays in memory.
    expect(s.app.rooms.find("brief")).toBeDefined();
    events.close();
    await eventually(async () => s.app.rooms.find("brief") === undefined && !(await s.app.rooms.has("brief")));

    await s.put("/goal-only/goal", { goal: "x" });
    expect(await s.app.rooms.has("goal-only")).toBe(true);
    await fetch(`${s.url}/goal-only/goal`, { method: "DELETE" });
    // The deletion is what a new listener is told, for as long as history is kept.
    expect(await s.app.rooms.has("goal-only")).toBe(true);
    clock.advance(25 * 60 * 60_000);
    await eventually(async () => !(await s.app.rooms.has("goal-only")));

    await s.put("/swept", { timer: 1 });
    clock.advance(25 * 60 * 60_000);
    await eventually(async () => !(await s.app.rooms.has("swept")));
  });

});

describe("changes that overlap", () => {
  test("changes to one room arriving while the store is still writing are applied in turn", async () => {
    class SlowStore extends MemoryStore {
      override async append(...args: Parameters<MemoryStore["append"]>) {
        await Bun.sleep(20);
        return super.append(...args);
      }
    }
    await using s = await startServer({}, { store: new SlowStore() });
    await using events = await EventReader.open(`${s.url}/busy/events`);
    await events.replay();
    const users = ["alice", "bob", "carol", "dave"];
    const answers = await Promise.all(users.map((user) => s.put("/busy", { timer: 5, user })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);

    const seen = await Promise.all(users.map(() => events.next("TIMER_REQUEST")));
    expect(seen.map((e) => e.id)).toEqual(["1", "2", "3", "4"]);
    const order = seen.map((e) => JSON.parse(e.data));
    // Whatever order they arrived in, each one's next user is computed from all before it.
    expect(order.map((t) => t.nextUser)).toEqual([null, order[0].user, order[0].user, order[0].user]);
  });
});

describe("a sweep during a change", () => {
  test("never reuses the id of a change that is still being stored", async () => {
    const clock = new ManualClock();
    let slow = false;
    class SlowStore extends MemoryStore {
      override async append(...args: Parameters<MemoryStore["append"]>) {
        if (slow) await Bun.sleep(60);
        return super.append(...args);
      }
    }
    await using s = await startServer({ sweepMs: 5 }, { clock, store: new SlowStore() });
    await s.put("/r", { timer: 5, user: "alice" });
    await using events = await EventReader.open(`${s.url}/r/events`);
    await events.replay();

    clock.advance(25 * 60 * 60_000);
    slow = true;
    const pending = s.put("/r", { timer: 5, user: "bob" });
    // Sweeps run (each reads the clock) while the change is being stored, and after.
    await clock.readMore(3);
    expect((await pending).status).toBe(202);
    await clock.readMore(3);

    const ids = events.received.filter((e) => e.id !== undefined).map((e) => e.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
