// A room's settings are decoded once, where they are read back: each feature's value as its
// decoder makes it, a malformed one dropped (never cast through), from the decoder itself,
// from a SQLite database edited by hand, and from an import.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { decodeSettings, withFeatures, type Hook, type PersonalTarget, type RoomSettings } from "../lib/domain/settings.ts";
import { MemoryStore } from "../lib/store/memory.ts";
import { DATABASE_FILE, SqliteStore } from "../lib/store/sqlite.ts";
import { importLines } from "../lib/store/transfer.ts";
import { ManualClock, tempDirs } from "./helpers.ts";

const T0 = Date.parse("2026-12-07T09:00:00.000Z");
const tempDir = tempDirs("settings");

const hook: Hook = { id: "h1", format: "slack", url: "https://hooks.example/x", secret: null, events: ["time-up"], paused: false, failures: 0, lastError: null };

const target: PersonalTarget = { member: "ann", id: "t1", format: "ntfy", url: "https://ntfy.example/ann-x", secret: null, paused: false, failures: 0, lastError: null };

const WHOLE: RoomSettings = {
  owner: { hash: "$argon2id$...", private: true, claimed: "2026-12-07T08:00:00.000Z" },
  roster: { members: [{ name: "ann", away: false, role: "typist" }, { name: "bob", away: true, role: null }] },
  cadence: { turns: 4, minutes: null },
  timeUp: { requested: "2026-12-07T08:50:00.000Z" },
  hooks: { list: [hook] },
};

/** Per feature, values its decoder refuses: of the wrong type, or with a field missing or wrong. */
const MALFORMED: { [K in keyof RoomSettings]-?: unknown[] } = {
  roster: [null, "ann", ["ann"], { members: "ann" }, { members: [{ name: "ann" }] }, { members: [{ name: 1, away: false, role: null }] }, { members: [{ name: "ann", away: "no", role: null }] }],
  cadence: [4, { turns: "4", minutes: null }, { turns: 1.5, minutes: null }, { turns: 4 }],
  timeUp: ["x", {}, { requested: 1 }],
  hooks: [[hook], { list: [{ ...hook, format: "irc" }] }, { list: [{ ...hook, events: ["lunch"] }] }, { list: [{ ...hook, url: null }] }, { list: [{ ...hook, failures: "1" }] }, { list: [hook, null] }],
  targets: [[target], { list: [{ ...target, member: null }] }, { list: [{ ...target, format: "irc" }] }, { list: [{ ...target, paused: "no" }] }, { list: [target, 1] }],
  owner: ["x", { hash: 1, private: false, claimed: "t" }, { hash: "h", claimed: "t" }, { hash: "h", private: "yes", claimed: "t" }],
};

describe("the decoder", () => {
  test("gives back every feature that is well formed, as it was, in its order", () => {
    const decoded = decodeSettings(JSON.parse(JSON.stringify(WHOLE)));
    expect(decoded).toEqual(WHOLE);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(WHOLE));
  });

  for (const [feature, values] of Object.entries(MALFORMED)) {
    test(`drops a malformed ${feature}, and keeps the other features`, () => {
      for (const value of values) {
        const decoded = decodeSettings({ ...WHOLE, [feature]: value });
        expect(decoded).not.toHaveProperty(feature);
        expect(decoded).toEqual(withFeatures(WHOLE, { [feature]: null }));
        // Alone, nothing is left of it: no settings.
        expect(decodeSettings({ [feature]: value })).toBeNull();
      }
    });
  }

  test("gives back the members' own targets as they were, in their order", () => {
    const settings: RoomSettings = { roster: WHOLE.roster!, targets: { list: [target] } };
    expect(JSON.stringify(decodeSettings(JSON.parse(JSON.stringify(settings))))).toBe(JSON.stringify(settings));
  });

  test("keeps no field that no feature knows, and reads what is not an object as no settings", () => {
    expect(decodeSettings({ cadence: { turns: null, minutes: 30 }, note: "x", constructor: {} })).toEqual({ cadence: { turns: null, minutes: 30 } });
    for (const value of [null, undefined, "settings", 3, [WHOLE]]) expect(decodeSettings(value)).toBeNull();
  });

  test("takes only the fields of a feature that it knows", () => {
    expect(decodeSettings({ owner: { ...WHOLE.owner, admin: true } })).toEqual({ owner: WHOLE.owner });
  });
});

test("changing features keeps the others and their order; removing the last one leaves no settings", () => {
  const changed = withFeatures(WHOLE, { roster: { members: [] }, hooks: null });
  expect(Object.keys(changed!)).toEqual(["owner", "roster", "cadence", "timeUp"]);
  expect(changed!.roster).toEqual({ members: [] });
  expect(withFeatures({ owner: WHOLE.owner }, { owner: null })).toBeNull();
  expect(withFeatures(null, { cadence: WHOLE.cadence })).toEqual({ cadence: WHOLE.cadence });
});

test("settings a SQLite database holds are decoded as they are read: a feature edited out of shape is dropped", async () => {
  const dir = tempDir();
  let store = await SqliteStore.open(dir, new ManualClock(T0));
  await store.append("team", { kind: "settings", settings: WHOLE, cause: { type: "cadence", user: null } }, 1);
  expect((await store.readRoom("team")).settings).toEqual(WHOLE);
  await store.close();
  const db = new Database(join(dir, DATABASE_FILE));
  db.run("UPDATE rooms SET settings = ? WHERE name = 'team'", [JSON.stringify({ ...WHOLE, roster: { members: "ann" }, owner: { hash: 1 } })]);
  db.close();
  store = await SqliteStore.open(dir, new ManualClock(T0));
  try {
    expect((await store.readRoom("team")).settings).toEqual({ cadence: WHOLE.cadence, timeUp: WHOLE.timeUp, hooks: WHOLE.hooks });
  } finally {
    await store.close();
  }
});

test("an import decodes each room's settings: malformed features are dropped, the rest kept", async () => {
  async function* lines(): AsyncGenerator<string> {
    yield JSON.stringify({ kind: "mob-timer-export", version: 1, exported: new Date(T0).toISOString() });
    const room = { kind: "room", seq: 3, goal: { goal: null, user: null, requested: null }, history: [] };
    yield JSON.stringify({ ...room, name: "kept", settings: { ...WHOLE, hooks: { list: [{ ...hook, format: "irc" }] } } });
    yield JSON.stringify({ ...room, name: "none-left", settings: { timeUp: { requested: 5 } } });
  }
  const store = new MemoryStore(new ManualClock(T0));
  expect(await importLines(store, lines())).toEqual({ rooms: 2, stats: false });
  expect((await store.readRoom("kept")).settings).toEqual(withFeatures(WHOLE, { hooks: null }));
  expect((await store.readRoom("none-left")).settings).toBeNull();
});
