import { expect, test } from "bun:test";
import { ADJECTIVES, ANIMALS, freshRoomName, randomRoomName } from "../lib/domain/names.ts";

test("each word list has at least 100 distinct lowercase words", () => {
  for (const list of [ADJECTIVES, ANIMALS]) {
    expect(new Set(list).size).toBe(list.length);
    expect(list.length).toBeGreaterThanOrEqual(100);
    for (const word of list) expect(word).toMatch(/^[a-z]+$/);
  }
});

test("a name is adjective-animal-NN with NN from 10 to 99", () => {
  const lows = randomRoomName(() => 0);
  const highs = randomRoomName((n) => n - 1);
  expect(lows).toBe(`${ADJECTIVES[0]}-${ANIMALS[0]}-10`);
  expect(highs).toBe(`${ADJECTIVES.at(-1)}-${ANIMALS.at(-1)}-99`);
});

test("a name already in use is never given out", async () => {
  const taken = `${ADJECTIVES[0]}-${ANIMALS[0]}-10`;
  let call = 0;
  // The first three draws make the taken name; the next three a different one.
  const name = await freshRoomName(async (n) => n === taken, (n) => (call++ < 3 ? 0 : n - 1));
  expect(name).toBe(`${ADJECTIVES.at(-1)}-${ANIMALS.at(-1)}-99`);
});
