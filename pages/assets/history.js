// The room's last day of timers, kept on the viewer's clock so that a page left open for
// days holds one day at most, and drawn twice: as a list and as blocks on a time axis.
const DAY_MS = 24 * 60 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;
// A busy room starts a few dozen timers a day; the cap only guards against a flood.
const HISTORY_CAP = 500;
const TICK_HOURS = [1, 2, 3, 4, 6, 12];

function isTimerEntry(entry) {
  return (
    entry !== null &&
    typeof entry === "object" &&
    typeof entry.requested === "string" &&
    (entry.type === "TIMER" || entry.type === "BREAKTIMER") &&
    Number.isFinite(entry.timer)
  );
}

class History {
  entries = [];

  replace(entries, now) {
    this.entries = Array.isArray(entries) ? entries.filter(isTimerEntry) : [];
    this.expire(now);
  }

  /** Adds the latest timer unless it is already the last one (a replay after a reconnect). */
  add(entry, now) {
    const last = this.entries.at(-1);
    if (!isTimerEntry(entry) || (last && JSON.stringify(last) === JSON.stringify(entry))) return;
    this.entries.push(entry);
    this.expire(now);
  }

  clear() {
    this.entries = [];
  }

  /** Drops entries older than a day and beyond the cap; says whether any went. */
  expire(now) {
    const cutoff = now - DAY_MS;
    const kept = this.entries.filter((entry) => Date.parse(entry.requested) > cutoff).slice(-HISTORY_CAP);
    const changed = kept.length !== this.entries.length;
    this.entries = kept;
    return changed;
  }

  /** Each timer with the time it really ran: until its end, or until the next one replaced it. */
  spans() {
    return this.entries.map((entry, i) => {
      const start = Date.parse(entry.requested);
      const next = this.entries[i + 1];
      const end = Math.min(start + entry.timer * MINUTE_MS, next ? Date.parse(next.requested) : Infinity);
      return { entry, start, end: Math.max(start, end) };
    });
  }
}

function describeEntry(entry) {
  const who = entry.user ? ` · ${entry.user}` : "";
  return `${clockTime(Date.parse(entry.requested))} ${kindName(entry.type)} ${entry.timer} min${who}`;
}

function renderHistoryList(list, history) {
  const items = history.entries.map((entry) => {
    const item = document.createElement("li");
    item.className = `history-item kind-${kindName(entry.type).toLowerCase()}`;
    const time = textElement("time", "history-time", clockTime(Date.parse(entry.requested)));
    time.dateTime = entry.requested;
    item.append(
      time,
      textElement("span", "history-kind", kindName(entry.type)),
      textElement("span", "history-length", `${entry.timer} min`),
      textElement("span", "history-user", entry.user || "someone"),
    );
    return item;
  });
  list.replaceChildren(...items.reverse());
}

// Tick labels need about this much room each.
const TICK_PX = 80;

/** The axis spans whole hours around the day's timers and now, at least two hours. */
function timelineAxis(spans, now, maxTicks) {
  const earliest = spans.length ? Math.min(spans[0].start, now - HOUR_MS) : now - HOUR_MS;
  const latest = spans.length ? Math.max(spans.at(-1).end, now) : now;
  const from = Math.max(Math.floor(earliest / HOUR_MS) * HOUR_MS, Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS);
  const to = Math.max(Math.ceil(latest / HOUR_MS) * HOUR_MS, from + 2 * HOUR_MS);
  const hours = (to - from) / HOUR_MS;
  const step = TICK_HOURS.find((h) => hours / h <= maxTicks) ?? 24;
  return { from, to, step };
}

function placed(element, from, to, axis) {
  const width = axis.to - axis.from;
  element.style.left = `${((from - axis.from) / width) * 100}%`;
  if (to !== undefined) element.style.width = `${((to - from) / width) * 100}%`;
  return element;
}

function renderTimeline(timeline, history, now) {
  const spans = history.spans();
  const axis = timelineAxis(spans, now, Math.max(2, Math.floor(timeline.clientWidth / TICK_PX) - 1));
  const track = textElement("div", "timeline-track", "");
  for (const { entry, start, end } of spans) {
    const block = textElement("div", `timeline-block kind-${kindName(entry.type).toLowerCase()}`, "");
    block.title = describeEntry(entry);
    track.append(placed(block, start, end, axis));
  }
  track.append(placed(textElement("div", "timeline-now", ""), now, undefined, axis));
  const ticks = textElement("div", "timeline-axis", "");
  // Tick on the viewer's local hours: offset the first tick by the zone's minutes.
  const offset = new Date(axis.from).getTimezoneOffset() * MINUTE_MS;
  const stepMs = axis.step * HOUR_MS;
  let tick = Math.ceil((axis.from - offset) / stepMs) * stepMs + offset;
  for (; tick <= axis.to; tick += stepMs) {
    ticks.append(placed(textElement("span", "timeline-tick", clockTime(tick)), tick, undefined, axis));
  }
  timeline.replaceChildren(track, ticks);
}
