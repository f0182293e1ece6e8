// The room's event stream, kept open for days. EventSource retries a dropped connection by
// itself, but gives up for good after an HTTP error (a proxy's 502 while the server
// restarts) and cannot tell a dead connection (a laptop waking from sleep) from a quiet
// one. So a closed stream is reopened with backoff, and one that has not sent even its
// keep-alive (every 5 s) for 20 s is replaced.
const SILENCE_MS = 20_000;
const MAX_RETRY_MS = 30_000;

/** Event name → function of the event's parsed data. */
export type Handlers = Record<string, (data: never) => void>;

/** Opens the stream; `onConnected` hears true once events flow, false when the stream is lost. */
export function openStream(url: string, handlers: Handlers, onConnected: (connected: boolean) => void): void {
  let source: EventSource;
  let connected: boolean | null = null;
  let failures = 0;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function setConnected(value: boolean): void {
    if (connected === value) return;
    connected = value;
    onConnected(value);
  }

  function watch(): void {
    clearTimeout(watchdog);
    watchdog = setTimeout(reopenLater, SILENCE_MS);
  }

  function heard(): void {
    failures = 0;
    setConnected(true);
    watch();
  }

  function reopenLater(): void {
    source.close();
    setConnected(false);
    clearTimeout(watchdog);
    clearTimeout(retry);
    retry = setTimeout(open, Math.min(MAX_RETRY_MS, 1000 * 2 ** failures++));
  }

  function open(): void {
    source = new EventSource(url);
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        heard();
        handle(JSON.parse((event as MessageEvent<string>).data) as never);
      });
    }
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) reopenLater();
      else setConnected(false);
    });
    watch();
  }

  open();
}
