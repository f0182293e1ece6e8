// The owner's rules, pure: what each decider changes in the room's settings, and what it
// leaves alone (other features' fields, a room someone claimed first).
import { expect, test } from "bun:test";
import type { RoomChange } from "../lib/domain/changes.ts";
import { claim, makePrivate, ownerOf, ownerStatus, release, rotate } from "../lib/domain/owner.ts";
import { Room } from "../lib/domain/room.ts";
import { decodeSettings } from "../lib/domain/settings.ts";

const NOW = Date.parse("2026-11-21T09:00:00.000Z");

function applied(room: Room, change: RoomChange | null): Room {
  if (change !== null) room.apply(change, room.seq + 1, 1000);
  return room;
}

test("a claim keeps the hash, privacy and time beside other features' settings; a second claim decides nothing", () => {
  const room = new Room("r");
  room.settings = { roster: { members: [{ name: "a", away: false, role: null }] } };
  const change = claim("hash-1", true)(room, NOW);
  expect(change).toEqual({
    kind: "settings",
    settings: { roster: { members: [{ name: "a", away: false, role: null }] }, owner: { hash: "hash-1", private: true, claimed: "2026-11-21T09:00:00.000Z" } },
    cause: { type: "owner", action: "claimed" },
  });
  applied(room, change);
  expect(claim("hash-2", false)(room, NOW)).toBeNull();
  expect(ownerStatus(ownerOf(room.settings))).toEqual({ claimed: true, private: true });
});

test("rotation replaces only the hash; privacy changes only when it differs; none of them touch a room nobody owns", () => {
  const room = applied(new Room("r"), claim("old", false)(new Room("r"), NOW));
  expect(rotate("new")(room, NOW)).toMatchObject({ settings: { owner: { hash: "new", private: false } }, cause: { action: "rotated" } });
  expect(makePrivate(false)(room, NOW)).toBeNull();
  expect(makePrivate(true)(room, NOW)).toMatchObject({ settings: { owner: { hash: "old", private: true } }, cause: { action: "private" } });
  const free = new Room("free");
  expect(rotate("x")(free, NOW)).toBeNull();
  expect(makePrivate(true)(free, NOW)).toBeNull();
  expect(release()(free, NOW)).toBeNull();
});

test("releasing leaves the other features' settings, or none at all when the owner was the only one", () => {
  const alone = applied(new Room("a"), claim("h", false)(new Room("a"), NOW));
  expect(release()(alone, NOW)).toEqual({ kind: "settings", settings: null, cause: { type: "owner", action: "released" } });
  const shared = new Room("s");
  shared.settings = { hooks: { list: [] } };
  applied(shared, claim("h", false)(shared, NOW));
  expect(release()(shared, NOW)).toMatchObject({ settings: { hooks: { list: [] } } });
});

test("settings that are not an owner are read as nobody's", () => {
  for (const owner of [undefined, null, "x", { hash: 1, private: false, claimed: "t" }, { hash: "h", claimed: "t" }]) {
    expect(ownerOf(decodeSettings({ owner }))).toBeNull();
  }
  expect(ownerOf(null)).toBeNull();
});
