// The start page's stream: how many listen to rooms and how many timers run, now and then
// once a second (the counts job broadcasts). Not a room listener, and not counted as one.
import type { Rooms } from "../../domain/rooms.ts";
import type { Fanout } from "../../live/fanout.ts";
import { countsFrames } from "../../live/protocol.ts";
import { sseResponse, type SseChannel, type SseCounters } from "../../live/sse.ts";
import type { StreamLimiter } from "../limits.ts";
import type { RequestContext } from "../router.ts";

export interface CountsParts {
  rooms: Rooms;
  fanout: Fanout;
  channel: SseChannel;
  streams: StreamLimiter;
  sse: SseCounters;
}

/** The frames of the counts as they are now. */
export function currentCounts({ rooms, fanout }: Pick<CountsParts, "rooms" | "fanout">): string {
  return countsFrames(fanout.size, rooms.runningCount());
}

export function countsHandler(parts: CountsParts) {
  return function indexEvents(ctx: RequestContext): Response {
    if (ctx.req.method === "HEAD") return sseResponse(ctx.req, ctx.server, parts.sse, () => () => {});
    const release = parts.streams.acquire(ctx.caller.address);
    ctx.req.signal.addEventListener("abort", release, { once: true });
    return sseResponse(ctx.req, ctx.server, parts.sse, (stream) => {
      stream.send(currentCounts(parts));
      const leave = parts.channel.add(stream);
      return () => {
        leave();
        release();
      };
    });
  };
}
