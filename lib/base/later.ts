// A result now, or a promise of it: the server's one synchronous shortcut (DESIGN.md rule
// 15). The memory store answers at once, and a change through it then completes in the same
// call (read the room, decide, append, fan out) without a promise per step and per retry.
// Used only on the commit path: Rooms' load and commit and what they call
// (lib/domain/rooms.ts), and the store's readRoom and append (lib/store/store.ts, memory.ts);
// test/layers.test.ts keeps it there. Everything else awaits. The pipeline has its own
// shortcut for handlers that answer at once (lib/http/pipeline.ts).
export type Later<T> = T | Promise<T>;

/** `next` of the value: now if there is one, else when the promise settles. */
export function after<T, U>(value: Later<T>, next: (value: T) => Later<U>, failed?: (cause: unknown) => Later<U>): Later<U> {
  if (value instanceof Promise) return value.then(next, failed);
  return next(value);
}
