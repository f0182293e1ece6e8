import { expect, test } from "bun:test";
import { isoTime } from "../lib/base/clock.ts";

test("isoTime is toISOString, for a repeated time and for each new one", () => {
  const times = [0, 1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_000, 4_102_444_800_000];
  for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
});
