// PUTs by wrk over keep-alive, as many teams at once would send them: each request starts a
// timer in one of 100 rooms, by users user-0 to user-6 in turn.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PUT_SCRIPT = `counter = 0
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/room-" .. (counter % 100), nil, '{"timer":10,"user":"user-' .. (counter % 7) .. '"}')
end`;

export interface WrkResult {
  /** Requests per second, summed over the servers. */
  rate: number;
  /** Answers other than 2xx or 3xx. */
  errors: number;
  /** wrk's mean latency on each server, as it prints it ("1.23ms"). */
  latencies: string[];
}

/** wrk on each of `urls` at once, `connections` spread evenly over them, for `seconds`. */
export async function wrkPuts(urls: string[], connections: number, seconds: number): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), "mob-timer-wrk-"));
  try {
    const script = join(dir, "put.lua");
    await Bun.write(script, PUT_SCRIPT);
    const each = Math.max(1, Math.round(connections / urls.length));
    const runs = urls.map((url) => Bun.spawn(["wrk", `-t${Math.min(2, each)}`, `-c${each}`, `-d${seconds}s`, "-s", script, url], { stdout: "pipe" }));
    const outputs = await Promise.all(runs.map((run) => new Response(run.stdout).text()));
    return {
      rate: outputs.reduce((sum, output) => sum + Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0), 0),
      errors: outputs.reduce((sum, output) => sum + Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0), 0),
      latencies: outputs.map((output) => /Latency\s+(\S+)/.exec(output)?.[1] ?? "?"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
