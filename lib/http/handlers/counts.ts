// The start page's stream: how many listen to rooms and how many timers run (on every
// instance of a shared store), now and then once a second (the counts job broadcasts).
// Not a room listener, and not counted as one.
import { countsFrames, sseResponse, type SseChannel, type SseCounters } from "../../live/sse.ts";
import type { RequestContext } from "../router.ts";

/** The counts as the counts job keeps them (lib/jobs/counts.ts's ServiceCounts): read, never refreshed, here. */
export interface CurrentCounts {
  current(): { listeners: number; running: number };
}

export interface CountsParts {
  counts: CurrentCounts;
  channel: SseChannel;
  sse: SseCounters;
}

/** The frames of the counts as they are now. */
export function currentCounts(counts: CurrentCounts): string {
  const { listeners, running } = counts.current();
  return countsFrames(listeners, running);
}

export function countsHandler(parts: CountsParts) {
  return function indexEvents(ctx: RequestContext): Response {
    if (ctx.req.method === "HEAD") return sseResponse(ctx.req, ctx.server, parts.sse, () => () => {});
    const release = ctx.visitor.holdStream();
    // A client gone before its stream started never ends it: its slot is given back here.
    ctx.req.signal.addEventListener("abort", release, { once: true });
    return sseResponse(ctx.req, ctx.server, parts.sse, (stream) => {
      // Started: the stream's end gives the slot back from now on.
      ctx.req.signal.removeEventListener("abort", release);
      stream.send(currentCounts(parts.counts));
      const leave = parts.channel.add(stream);
      return () => {
        leave();
        release();
      };
    });
  };
}
