// A team's rotation statistics (issue 24), in-process with a manual clock: what counts as a
// turn, a break, a stretch, a wait for the next turn and a full round, and the API that
// shows them.
import { describe, expect, test } from "bun:test";
import { inProcess, type Answering, type InProcessApp } from "./helpers.ts";

const MINUTE = 60_000;

function roster(s: Answering, room: string, body: unknown): Promise<Response> {
  return s.fetch(`/api/rooms/${room}/roster`, { method: "POST", body: JSON.stringify(body) });
}

async function report(s: Answering, room: string, days = 1) {
  const answer = await s.fetch(`/api/rooms/${room}/stats?days=${days}`);
  expect(answer.status).toBe(200);
  return answer.json();
}

/** A timer of `minutes` by `user`, then `ran` minutes pass. */
async function turn(s: InProcessApp, room: string, user: string, minutes: number, ran = minutes): Promise<void> {
  expect((await s.put(`/${room}`, { timer: minutes, user })).status).toBe(202);
  s.clock.advance(ran * MINUTE);
}

describe("a team's rotation", () => {
  test("counts turns and minutes per person once the turn ends", async () => {
    await using s = await inProcess();
    for (const name of ["ann", "bob"]) await roster(s, "r", { action: "add", name });
    await turn(s, "r", "ann", 10);
    await turn(s, "r", "bob", 10, 4);
    await turn(s, "r", "ann", 10);
    const body = await report(s, "r");
    expect(body.days).toHaveLength(1);
    expect(body.days[0].people.map((p: { name: string; turns: number; workMinutes: number }) => [p.name, p.turns, p.workMinutes])).toEqual([
      ["ann", 1, 10],
      ["bob", 1, 4],
    ]);
    expect(body.days[0].rounds).toBe(1);
  });
});
