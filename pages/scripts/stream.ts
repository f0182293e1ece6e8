// The room's event stream, kept open for days. EventSource retries a dropped connection by
// itself, but gives up for good after an HTTP error (a proxy's 502 while the server
// restarts) and cannot tell a dead connection (a laptop waking from sleep) from a quiet
// one. So a closed stream is reopened with backoff, and one that has not sent even its
// keep-alive (every 5 s) for 20 s is replaced.
//
// Some proxies buffer event streams whole, so that nothing ever arrives. A stream that has
// not delivered its opening events within a few seconds is given up for long-poll of the
// JSON API, which such proxies pass; the stream is tried again later, and wins when it works.
import { longPoll } from "./poll.ts";
import type { Handlers } from "./wire.ts";

const SILENCE_MS = 20_000;
const MAX_RETRY_MS = 30_000;
/** The opening events come at once; a stream silent this long after opening is held back somewhere. */
const FIRST_EVENT_MS = 4000;
/** While polling, the stream is tried again after this, doubling up to the maximum. */
const STREAM_AGAIN_MS = 15_000;
const MAX_STREAM_AGAIN_MS = 5 * 60_000;

export interface StreamWatchers {
  /** True once events flow (by either way), false when the room is out of reach. */
  connected(connected: boolean): void;
  /** True while updates come by long-poll because the stream delivers nothing. */
  polling(polling: boolean): void;
}

/**
 * Follows the room at `url` (its event stream) or, when that delivers nothing, `pollUrl` (its
 * JSON state); both are asked for at every connect. Returns the function that opens the
 * stream again at once (the viewer gave a name: a team's room then counts them here).
 */
export function openStream(url: () => string, pollUrl: () => string, handlers: Handlers, watchers: StreamWatchers): () => void {
  let source: EventSource;
  let connected: boolean | null = null;
  let failures = 0;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopPolling: (() => void) | null = null;
  let streamAgainMs = STREAM_AGAIN_MS;

  function setConnected(value: boolean): void {
    if (connected === value) return;
    connected = value;
    watchers.connected(value);
  }

  function watch(ms: number, then: () => void): void {
    clearTimeout(watchdog);
    watchdog = setTimeout(then, ms);
  }

  function heard(): void {
    failures = 0;
    if (stopPolling) {
      stopPolling();
      stopPolling = null;
      streamAgainMs = STREAM_AGAIN_MS;
      watchers.polling(false);
    }
    setConnected(true);
    watch(SILENCE_MS, reopenLater);
  }

  function reopenLater(): void {
    source.close();
    if (!stopPolling) setConnected(false);
    clearTimeout(watchdog);
    clearTimeout(retry);
    retry = setTimeout(open, Math.min(MAX_RETRY_MS, 1000 * 2 ** failures++));
  }

  /** The stream opened but says nothing: poll meanwhile, and try the stream again later. */
  function heldBack(): void {
    source.close();
    clearTimeout(retry);
    retry = setTimeout(open, streamAgainMs);
    streamAgainMs = Math.min(MAX_STREAM_AGAIN_MS, streamAgainMs * 2);
    if (stopPolling) return;
    watchers.polling(true);
    stopPolling = longPoll(pollUrl, handlers, setConnected);
  }

  function open(): void {
    source = new EventSource(url());
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        heard();
        handle?.(JSON.parse((event as MessageEvent<string>).data));
      });
    }
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) reopenLater();
      else if (!stopPolling) setConnected(false);
    });
    watch(FIRST_EVENT_MS, heldBack);
  }

  open();
  return () => {
    // While polling, the next poll names the viewer anew; the stream is tried again as planned.
    if (stopPolling) return;
    source.close();
    clearTimeout(watchdog);
    clearTimeout(retry);
    open();
  };
}
