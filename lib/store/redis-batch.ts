// Calls of one batched script (redis-scripts.ts) made while earlier ones are on their way to
// Redis wait and go together in one script call: one command for Redis to parse, and with
// `appendfsync always` one sync of its append-only file for all of them (group commit, as
// the SQLite store's). A call when nothing waits goes at once, so a lone change waits for
// nothing; under load the batches grow with the load.

/** Batches on their way at once: the second hides the round trip of the first. */
const IN_FLIGHT = 2;
/**
 * Calls in one batch at most: Redis runs a script whole, answering nobody else meanwhile,
 * and a change costs it about 50 µs, so a batch holds it up for a few milliseconds at most.
 */
const MAX_CALLS = 64;

interface Call {
  args: string[];
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

export class ScriptBatch {
  private readonly waiting: Call[] = [];
  private inFlight = 0;
  private scheduled = false;

  /** `send` runs the script with the batch (its calls' arguments as one JSON array) and answers one result per call. */
  constructor(private readonly send: (batch: string) => Promise<unknown>) {}

  /** One call's result; rejects with what the whole batch failed with. */
  call(args: string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ args, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= IN_FLIGHT || this.waiting.length === 0) return;
    this.scheduled = true;
    // Calls made in the same turn (a sweep's rooms, requests read together) join this batch.
    queueMicrotask(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= IN_FLIGHT || this.waiting.length === 0) return;
    const calls = this.waiting.splice(0, MAX_CALLS);
    this.inFlight++;
    this.send(JSON.stringify(calls.map((call) => call.args)))
      .then(
        (results) => calls.forEach((call, i) => call.resolve((results as unknown[])[i])),
        (error: unknown) => calls.forEach((call) => call.reject(error)),
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
  }
}
