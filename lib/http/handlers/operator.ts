// What an operator asks: is it healthy, and the metrics.
import type { Clock } from "../../base/clock.ts";
import type { Rooms } from "../../domain/rooms.ts";
import type { Logger } from "../../base/log.ts";
import type { Fanout } from "../../live/fanout.ts";
import type { SseChannel, SseCounters } from "../../live/sse.ts";
import { StoreUnavailable, type Store } from "../../store/store.ts";
import { VERSION } from "../../base/version.ts";
import type { Metrics } from "../metrics.ts";
import { json } from "../responses.ts";
import type { CurrentCounts } from "./counts.ts";

export interface OperatorParts {
  clock: Clock;
  store: Store;
  rooms: Rooms;
  fanout: Fanout;
  counts: CurrentCounts;
  channel: SseChannel;
  sse: SseCounters;
  metrics: Metrics;
  logger: Logger;
  /** Whether the start's look at stored rooms still runs: a store slow to answer meanwhile is busy, not failing. */
  starting: () => boolean;
}

export function operatorHandlers({ clock, store, rooms, fanout, counts, channel, sse, metrics, logger, starting }: OperatorParts) {
  const startedAt = clock.now();

  async function health(): Promise<Response> {
    let storage = "ok";
    let count: number | null = null;
    try {
      await store.check();
      count = await rooms.count();
    } catch (error) {
      // A store that cannot be reached is failing, start or not; one busy with the start's
      // look (SQLite's worker, answering late) is only starting.
      if (starting() && !(error instanceof StoreUnavailable)) {
        storage = "starting";
        logger.log("info", "storage check waited on the start's look at stored rooms", { error: String(error) });
      } else {
        storage = "failing";
        logger.log("error", "storage check failed", { error: String(error) });
      }
    }
    return json(
      {
        status: storage === "ok" ? "ok" : "unavailable",
        version: VERSION,
        uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
        rooms: count,
        listeners: counts.current().listeners,
        storage: { kind: store.kind, status: storage },
      },
      storage === "ok" ? 200 : 503,
      { "Cache-Control": "no-store" },
    );
  }

  function metricsText(): Response {
    const text = metrics.render({
      listeners: fanout.size,
      indexListeners: channel.size,
      rooms: rooms.cached,
      runningTimers: rooms.runningCount(),
      eventsSent: sse.sent,
      streamsClosedUnread: sse.closedUnread,
      uptimeSeconds: (clock.now() - startedAt) / 1000,
    });
    return new Response(text, {
      headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" },
    });
  }

  return { health, metricsText };
}
