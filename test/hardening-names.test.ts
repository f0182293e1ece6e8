// The start page's suggestions are hard to guess (issue 10, item 9): drawn from a space
// far larger than anyone can probe at the read rate, by an unpredictable generator.
import { expect, test } from "bun:test";
import { ADJECTIVES, ANIMALS } from "../lib/domain/names.ts";
import { inProcess } from "./helpers.ts";

test("suggestions come from over 20 million adjective-animal-NN names", () => {
  expect(new Set(ADJECTIVES).size * new Set(ANIMALS).size * 90).toBeGreaterThan(20_000_000);
});

test("suggestions do not come from Math.random, whose next values can be worked out from earlier ones", async () => {
  await using s = await inProcess();
  const original = Math.random;
  Math.random = () => 0;
  try {
    const suggested = async () => /name="room" value="([^"]+)"/.exec(await (await s.fetch("/")).text())![1]!;
    const names = new Set([await suggested(), await suggested(), await suggested()]);
    expect(names.size).toBe(3);
    for (const name of names) expect(name).toMatch(/^[a-z]+-[a-z]+-[1-9][0-9]$/);
  } finally {
    Math.random = original;
  }
});
