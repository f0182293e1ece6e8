// A result now, or a promise of it. The memory store answers at once; a change through it
// then completes in the same call, without the promise layers that cost a PUT about a
// tenth of the server's throughput (measured in bench/RESULTS.md). Used by the one commit
// path and the store interface, nowhere else.
export type Later<T> = T | Promise<T>;

/** `next` of the value: now if there is one, else when the promise settles. */
export function after<T, U>(value: Later<T>, next: (value: T) => Later<U>, failed?: (cause: unknown) => Later<U>): Later<U> {
  if (value instanceof Promise) return value.then(next, failed);
  return next(value);
}
