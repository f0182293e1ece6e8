// What the SQLite store's two threads say to each other. The main thread sends every
// operation queued in one turn of its event loop as one message; the worker answers each
// batch with one message (two when it holds both reads and writes: the reads are answered
// before the commit's sync). Both are JSON text, which Bun posts without structured cloning.
import type { RoomChange } from "../domain/changes.ts";
import type { RoomState } from "../domain/room.ts";
import type { StatsSnapshot } from "../domain/stats.ts";
import type { StatsTally } from "../domain/rotation-count.ts";
import type { StatsRow } from "../domain/rotation-stats.ts";

export type Operation =
  | { op: "open"; path: string; now: number; maxHistory: number | null; roomStatsDays: number; readOnly: boolean }
  | { op: "read-room"; name: string }
  | { op: "room-count" }
  | { op: "running-rooms"; now: number; withSettings: boolean; after: string }
  | { op: "read-stats"; now: number }
  | { op: "append"; name: string; change: RoomChange; seq: number; tally?: StatsTally }
  | { op: "read-room-stats"; name: string; from: string; to: string }
  | { op: "import-room-stats"; name: string; rows: StatsRow[] }
  | { op: "emptied-rooms"; cutoff: number }
  | { op: "expire"; cutoff: number; now: number }
  | { op: "check" }
  | { op: "room-names" }
  | { op: "import-room"; state: RoomState }
  | { op: "import-stats"; snapshot: StatsSnapshot }
  | { op: "close" };

export type Request = Operation & { id: number };

/** What one slice of the look at running rooms found, and the name to go on after (null: done). */
export interface RunningSlice {
  rooms: RoomState[];
  next: string | null;
}

/**
 * The answer to request `id`: its value, or why it failed; a stored append, nearly every
 * answer, is its id alone.
 */
export type Reply = number | { id: number; value: unknown } | { id: number; error: string };

/** What a stored append answers: one object, as the answer travels as its id alone. */
export const STORED: { readonly ok: true } = Object.freeze({ ok: true });

/** Operations that write, and so wait for the batch's commit. */
export const WRITES: ReadonlySet<Operation["op"]> = new Set(["append", "expire", "check", "import-room", "import-stats", "import-room-stats"]);
