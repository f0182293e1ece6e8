// How every listener of a room starts, whatever its transport (event stream, long-poll,
// WebSocket): the room is held from before it is read until the listener has joined the
// fan-out, so that it cannot leave memory in between, and its slot under the stream limits
// is given back if the listener never starts.
import type { Room } from "../../domain/room.ts";
import type { Rooms } from "../../domain/rooms.ts";

/**
 * Holds `name`, reads it, and hands it to `start` with the function that lets the hold go
 * (call it once the listener has joined the fan-out, or answers without joining). A failed
 * read or start, or a client gone before the start (`signal`), lets the hold go and calls
 * `release`.
 */
export async function startListener<T>(rooms: Rooms, name: string, release: () => void, signal: AbortSignal, start: (room: Room, unhold: () => void) => T): Promise<Awaited<T>> {
  rooms.hold(name);
  let held = true;
  const unhold = () => {
    if (!held) return;
    held = false;
    // From here the listener gives its slot back itself: the watch on the request goes, and
    // with it what it kept alive for as long as a stream lasts (hours, for thousands).
    signal.removeEventListener("abort", abandon);
    rooms.release(name);
  };
  const abandon = () => {
    unhold();
    release();
  };
  signal.addEventListener("abort", abandon, { once: true });
  try {
    const loaded = await rooms.load(name);
    // Not awaited here: a start that fails later (a long-poll's end) gives its slot back itself.
    return start(rooms.find(name) ?? loaded, unhold) as Awaited<T>;
  } catch (error) {
    abandon();
    throw error;
  }
}
