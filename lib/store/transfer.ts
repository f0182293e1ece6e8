// `mob-timer export` and `mob-timer import`: every room (history, goal, number) and the
// statistics of a store as JSON lines, and back into a store. One line per room keeps an
// export of any size streamable and a damaged file readable up to the damage.
//
//   {"kind":"mob-timer-export","version":1,"exported":"<ISO time>"}
//   {"kind":"room","name":...,"seq":...,"goal":{...},"history":[...],"settings":{...}|null[,"statsCursor":{...}]}   one per room
//   {"kind":"room-stats","name":...,"rows":[{"day":...,"person":...,"field":...,"value":...},...]}   after a team's room
//   {"kind":"stats","since":...,"timers":{...},"breaks":{...},"goals":...,"days":{...},"hours":[...]}
import { isoTime } from "../base/clock.ts";
import type { GoalState, TimerRequest } from "../domain/changes.ts";
import { decodeSettings, isOneOf } from "../domain/settings.ts";
import type { StatsSnapshot } from "../domain/stats.ts";
import { COUNT_OPS, decodeCursor } from "../domain/rotation-count.ts";
import { firstDay, MAX_ROOM_STATS_DAYS, type StatsRow } from "../domain/rotation-stats.ts";
import type { RoomState, Store } from "./store.ts";

const HEADER_KIND = "mob-timer-export";
const VERSION = 1;

/** A line that is not part of an export, or an export of a version this server does not read. */
export class TransferError extends Error {}

/** The export's lines, without line ends, as the store holds it at `now`. */
export async function* exportLines(store: Store, now: number): AsyncGenerator<string> {
  yield JSON.stringify({ kind: HEADER_KIND, version: VERSION, exported: isoTime(now) });
  for (const name of (await store.roomNames()).sort()) {
    const room = await store.readRoom(name);
    const { statsCursor } = room;
    yield JSON.stringify({ kind: "room", name, seq: room.seq, goal: room.goal, history: room.history, settings: room.settings, statsCursor });
    const rows = await store.readRoomStats(name, firstDay(now, MAX_ROOM_STATS_DAYS), firstDay(now, 1));
    if (rows.length > 0) yield JSON.stringify({ kind: "room-stats", name, rows });
  }
  yield JSON.stringify({ kind: "stats", ...(await store.readStats(now)) });
}

export interface Imported {
  rooms: number;
  stats: boolean;
}

/** Reads an export's lines into `store`; throws TransferError naming the first line it cannot read. */
export async function importLines(store: Store, lines: AsyncIterable<string>): Promise<Imported> {
  const imported: Imported = { rooms: 0, stats: false };
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === "") continue;
    const record = parse(line, number);
    if (number === 1) {
      if (record.kind !== HEADER_KIND || record.version !== VERSION) throw new TransferError(`line 1: not a mob-timer export of version ${VERSION}`);
      continue;
    }
    if (record.kind === "room") {
      // An export from before room settings existed has none.
      const { name, seq, goal, history, settings = null, statsCursor } = record;
      if (typeof name !== "string" || !Number.isInteger(seq) || !isGoal(goal) || !Array.isArray(history) || !isSettings(settings)) {
        throw new TransferError(`line ${number}: a room needs a name, a whole-number seq, a goal, a history, and settings that are an object or null`);
      }
      const state: RoomState = { name, seq: seq as number, goal, history: history as TimerRequest[], settings: decodeSettings(settings) };
      const cursor = decodeCursor(statsCursor);
      if (cursor) state.statsCursor = cursor;
      await store.importRoom(state);
      imported.rooms++;
    } else if (record.kind === "room-stats") {
      const { name, rows } = record;
      if (typeof name !== "string" || !Array.isArray(rows) || !rows.every(isRow)) {
        throw new TransferError(`line ${number}: a room's statistics need a name and rows of day, person, field and a whole-number value`);
      }
      await store.importRoomStats(name, rows);
    } else if (record.kind === "stats") {
      const { kind: _, ...snapshot } = record;
      await store.importStats(snapshot as unknown as StatsSnapshot);
      imported.stats = true;
    } else {
      throw new TransferError(`line ${number}: unknown kind ${JSON.stringify(record.kind)}`);
    }
  }
  if (number === 0) throw new TransferError("the input is empty: expected a mob-timer export");
  return imported;
}

function parse(line: string, number: number): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below, with the line number.
  }
  throw new TransferError(`line ${number}: not a JSON object`);
}

function isFields(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An object or null: its features are then decoded one by one, a malformed one dropped. */
function isSettings(value: unknown): boolean {
  return value === null || isFields(value);
}

function isRow(value: unknown): value is StatsRow {
  if (!isFields(value)) return false;
  const { day, person, field, value: count } = value;
  return typeof day === "string" && typeof person === "string" && isOneOf(field, Object.keys(COUNT_OPS)) && Number.isInteger(count);
}

function isGoal(value: unknown): value is GoalState {
  return value !== null && typeof value === "object" && "goal" in value && "user" in value && "requested" in value;
}
