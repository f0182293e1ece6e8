// The room's event stream, kept open for days. EventSource retries a dropped connection by
// itself, but gives up for good after an HTTP error (a proxy's 502 while the server
// restarts) and cannot tell a dead connection (a laptop waking from sleep) from a quiet
// one. So a closed stream is reopened with backoff, and one that has not sent even its
// keep-alive (every 5 s) for 20 s is replaced.
const SILENCE_MS = 20000;
const MAX_RETRY_MS = 30000;

/**
 * @param handlers event name → function of the event's parsed data
 * @param onConnected called with true once events flow, false when the stream is lost
 */
function openStream(url, handlers, onConnected) {
  let source = null;
  let connected = null;
  let failures = 0;
  let watchdog = 0;
  let retry = 0;

  function setConnected(value) {
    if (connected === value) return;
    connected = value;
    onConnected(value);
  }

  function watch() {
    clearTimeout(watchdog);
    watchdog = setTimeout(reopenLater, SILENCE_MS);
  }

  function heard() {
    failures = 0;
    setConnected(true);
    watch();
  }

  function reopenLater() {
    source.close();
    setConnected(false);
    clearTimeout(watchdog);
    clearTimeout(retry);
    retry = setTimeout(open, Math.min(MAX_RETRY_MS, 1000 * 2 ** failures++));
  }

  function open() {
    source = new EventSource(url);
    for (const [name, handle] of Object.entries(handlers)) {
      source.addEventListener(name, (event) => {
        heard();
        handle(JSON.parse(event.data));
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
