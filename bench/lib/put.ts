// Setting timers over HTTP, as `mob start` does, but on kept-alive connections (fetch
// pools them): a new connection per PUT would add the handshake to every figure.

/** Starts a timer; resolves with the status once the answer has been read in full. */
export async function putTimer(url: string, room: string, user: string, minutes = 10): Promise<number> {
  const response = await fetch(`${url}/${room}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ timer: minutes, user }),
  });
  await response.arrayBuffer();
  return response.status;
}

export interface Throughput {
  requests: number;
  /** Answers other than 202, and requests that failed outright. */
  errors: number;
  seconds: number;
  latencies: number[];
}

/**
 * PUTs for `seconds` or until `limit` were sent, `connections` requests in flight at a time
 * (each worker waits for its answer before sending the next, so each keeps to one
 * connection), spread over `rooms`, by users `user-0` to `user-6` in turn.
 */
export async function putThroughput(
  url: string,
  connections: number,
  seconds: number,
  rooms: readonly string[],
  limit = Infinity,
): Promise<Throughput> {
  const start = performance.now();
  const end = start + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  const worker = async () => {
    while (performance.now() < end && sent < limit) {
      const k = sent++;
      const before = performance.now();
      try {
        if ((await putTimer(url, rooms[k % rooms.length]!, `user-${k % 7}`)) !== 202) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - before);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { requests: latencies.length, errors, seconds: (performance.now() - start) / 1000, latencies };
}
