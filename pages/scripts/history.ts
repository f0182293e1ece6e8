// The room's last day of timers, kept on the viewer's clock so that a page left open for
// days holds one day at most, and drawn twice: as a list and as blocks on a time axis.
import type { TimerRequest } from "../../lib/domain/changes.ts";
import { textElement } from "./dom.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS, clockTime, dayTime, kindName } from "./format.ts";
import { isTimerEntry } from "./wire.ts";

// A busy room starts a few dozen timers a day; the cap only guards against a flood.
const HISTORY_CAP = 500;
/** The list shows this many of the latest timers until the viewer asks for all. */
export const HISTORY_SHOWN = 10;
const TICK_HOURS = [1, 2, 3, 4, 6, 12];

interface Span {
  entry: TimerRequest;
  start: number;
  end: number;
}

export class History {
  entries: TimerRequest[] = [];

  replace(entries: unknown, now: number): void {
    this.entries = Array.isArray(entries) ? entries.filter(isTimerEntry) : [];
    this.expire(now);
  }

  /** Adds the latest timer unless it is already the last one (a replay after a reconnect). */
  add(entry: TimerRequest, now: number): void {
    const last = this.entries.at(-1);
    if (last && JSON.stringify(last) === JSON.stringify(entry)) return;
    this.entries.push(entry);
    this.expire(now);
  }

  clear(): void {
    this.entries = [];
  }

  /** Drops entries older than a day and beyond the cap; says whether any went. */
  expire(now: number): boolean {
    const cutoff = now - DAY_MS;
    const kept = this.entries.filter((entry) => Date.parse(entry.requested) > cutoff).slice(-HISTORY_CAP);
    const changed = kept.length !== this.entries.length;
    this.entries = kept;
    return changed;
  }

  /** Each timer with the time it really ran: until its end, or until the next one replaced it. */
  spans(): Span[] {
    return this.entries.map((entry, i) => {
      const start = Date.parse(entry.requested);
      const next = this.entries[i + 1];
      const end = Math.min(start + entry.timer * MINUTE_MS, next ? Date.parse(next.requested) : Infinity);
      return { entry, start, end: Math.max(start, end) };
    });
  }
}

function kindClass(entry: TimerRequest): string {
  return `kind-${kindName(entry.type).toLowerCase()}`;
}

function describeEntry(entry: TimerRequest, now: number): string {
  const who = entry.user ? ` · ${entry.user}` : "";
  return `${dayTime(Date.parse(entry.requested), now)} ${entryText(entry)}${who}`;
}

/** "Work 10 min", and a stop as what it was. */
function entryText(entry: TimerRequest): string {
  return entry.timer === 0 ? "Stopped" : `${kindName(entry.type)} ${entry.timer} min`;
}

/** The latest timers first; all of them, or the latest HISTORY_SHOWN. */
export function renderHistoryList(list: HTMLElement, history: History, now: number, all: boolean): void {
  const shown = all ? history.entries : history.entries.slice(-HISTORY_SHOWN);
  const items = shown.map((entry) => {
    const item = document.createElement("li");
    item.className = `history-item ${kindClass(entry)}`;
    const time = textElement("time", "history-time", dayTime(Date.parse(entry.requested), now));
    time.dateTime = entry.requested;
    const stopped = entry.timer === 0;
    item.append(
      time,
      textElement("span", "history-kind", stopped ? "Stop" : kindName(entry.type)),
      textElement("span", "history-length", stopped ? "" : `${entry.timer} min`),
      textElement("span", "history-user", entry.user || "someone"),
    );
    return item;
  });
  list.replaceChildren(...items.reverse());
}

// Tick labels need about this much room each.
const TICK_PX = 80;

interface Axis {
  from: number;
  to: number;
  step: number;
}

/** The axis spans whole hours around the day's timers and now, at least two hours. */
function timelineAxis(spans: Span[], now: number, maxTicks: number): Axis {
  const first = spans[0];
  const last = spans.at(-1);
  const earliest = first ? Math.min(first.start, now - HOUR_MS) : now - HOUR_MS;
  const latest = last ? Math.max(last.end, now) : now;
  const from = Math.max(Math.floor(earliest / HOUR_MS) * HOUR_MS, Math.floor((now - DAY_MS) / HOUR_MS) * HOUR_MS);
  const to = Math.max(Math.ceil(latest / HOUR_MS) * HOUR_MS, from + 2 * HOUR_MS);
  const hours = (to - from) / HOUR_MS;
  const step = TICK_HOURS.find((h) => hours / h <= maxTicks) ?? 24;
  return { from, to, step };
}

function placed(element: HTMLElement, from: number, to: number | undefined, axis: Axis): HTMLElement {
  const width = axis.to - axis.from;
  element.style.left = `${((from - axis.from) / width) * 100}%`;
  if (to !== undefined) element.style.width = `${((to - from) / width) * 100}%`;
  return element;
}

export function renderTimeline(timeline: HTMLElement, history: History, now: number): void {
  const spans = history.spans();
  const axis = timelineAxis(spans, now, Math.max(2, Math.floor(timeline.clientWidth / TICK_PX) - 1));
  const track = textElement("div", "timeline-track", "");
  for (const { entry, start, end } of spans) {
    const block = textElement("div", `timeline-block ${kindClass(entry)}`, "");
    block.title = describeEntry(entry, now);
    track.append(placed(block, start, end, axis));
  }
  track.append(placed(textElement("div", "timeline-now", ""), now, undefined, axis));
  const ticks = textElement("div", "timeline-axis", "");
  // Tick on the viewer's local hours: offset the first tick by the zone's minutes.
  const offset = new Date(axis.from).getTimezoneOffset() * MINUTE_MS;
  const stepMs = axis.step * HOUR_MS;
  for (let tick = Math.ceil((axis.from - offset) / stepMs) * stepMs + offset; tick <= axis.to; tick += stepMs) {
    ticks.append(placed(textElement("span", "timeline-tick", clockTime(tick)), tick, undefined, axis));
  }
  timeline.replaceChildren(track, ticks);
}
