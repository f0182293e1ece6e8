// A room's replay is built once per state of the room: a client re-opening its stream in a
// loop, or a thousand listeners connecting at once, costs a lookup (issue 10, defect 3).
import { expect, test } from "bun:test";
import { defaultConfig } from "../lib/config.ts";
import { Room } from "../lib/domain/room.ts";
import { replayBytes } from "../lib/live/sse.ts";

const T0 = Date.parse("2026-11-21T09:00:00.000Z");
const RULES = defaultConfig();
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test("the replay is built once per state of the room, and anew after a change or a trim", () => {
  const room = new Room("r");
  room.apply(room.decide({ kind: "start", type: "TIMER", minutes: 5, user: "alice" }, T0, RULES)!, 1, RULES.maxHistory);
  const first = replayBytes(room);
  expect(replayBytes(room)).toBe(first);

  room.apply(room.decide({ kind: "start", type: "TIMER", minutes: 5, user: "bob" }, T0 + 60_000, RULES)!, 2, RULES.maxHistory);
  const second = replayBytes(room);
  expect(second).not.toBe(first);
  expect(text(second)).toContain('"user":"bob"');
  expect(replayBytes(room)).toBe(second);

  expect(room.trim(T0 + 1)).toBe(true);
  const trimmed = replayBytes(room);
  expect(trimmed).not.toBe(second);
  expect(text(trimmed)).toStartWith("event:INITIAL_HISTORY\ndata:[]\n\n");
});
