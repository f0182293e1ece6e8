// The pages: one render() for every template, and the views of the pages that need one.
import Mustache from "mustache";
import { assetFiles } from "./assets.ts";
import { dayChart, hourChart } from "./charts.ts";
import { HOOK_EVENTS, type HookEvent } from "../domain/settings.ts";
import type { StatsSnapshot } from "../domain/stats.ts";
import { templateTokens } from "./template-tokens.ts" with { type: "macro" };
import { FRAGMENTS, PARTIALS, TEMPLATES } from "./templates.ts";

export type PageName = keyof typeof TEMPLATES;
export type FragmentName = keyof typeof FRAGMENTS;

/** What every page needs to link to the server's own paths and assets. */
export interface PageContext {
  base: string;
  publicUrl: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes what HTML text and quoted attributes need, and no more: Mustache's default also
 * escapes "/" and "=", which would turn every URL shown to a person into entities.
 */
function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** The tokens parsed at build time, found by the template text Mustache asks about. */
const TOKENS_BY_TEXT = (() => {
  const tokens = templateTokens();
  const texts: Record<string, string> = { ...TEMPLATES, ...PARTIALS, ...FRAGMENTS };
  return new Map(Object.entries(texts).map(([name, text]) => [text, tokens[name]]));
})();

/** Renders from the build-time tokens; any other text (an indented partial) is parsed as usual. */
class PreparsedWriter extends Mustache.Writer {
  override parse(template: string, tags?: Mustache.OpeningAndClosingTags): Mustache.TemplateSpans {
    return TOKENS_BY_TEXT.get(template) ?? super.parse(template, tags);
  }
}
const writer = new PreparsedWriter();

// The room page's start buttons: the lengths teams reach for most, and the one a new
// viewer starts with until they choose their own in the settings.
const TIMER_PRESETS = [5, 10, 15, 20, 25, 30];
const BREAK_PRESETS = [5, 10, 15, 30, 45, 60];
const DEFAULT_TIMER = 10;
const DEFAULT_BREAK = 5;

/** The webhook panel's choices, as people read them; its list of hooks shows the same words. */
const HOOK_EVENT_LABELS: Record<HookEvent, string> = {
  "timer-started": "a timer starts",
  "break-started": "a break starts",
  "time-up": "time is up",
  "goal-set": "a goal is set",
  "goal-deleted": "the goal is deleted",
  "roster-changed": "the roster changes",
};

export function roomView(room: string): Record<string, unknown> {
  return {
    title: `#${room} · mob timer`,
    room,
    timerPresets: TIMER_PRESETS,
    breakPresets: BREAK_PRESETS,
    defaultTimer: DEFAULT_TIMER,
    defaultBreak: DEFAULT_BREAK,
    hookEvents: HOOK_EVENTS.map((value) => ({ value, label: HOOK_EVENT_LABELS[value] })),
  };
}

const MONTHS = "January February March April May June July August September October November December".split(" ");

/**
 * "21 November 2026 at 09:00 UTC". The server keeps UTC and the statistics page says so
 * rather than guess the reader's zone. Written by hand: loading Intl's date formatting
 * costs the server 5 MB of memory for this one line.
 */
function utcDateText(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  return `${day} at ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** "timer" or "timers", as the count asks. */
function noun(count: number, singular: string): string {
  return count === 1 ? singular : `${singular}s`;
}

/** `now` places the chart of days; the statistics are the server's, in UTC. */
export function statsView(snapshot: StatsSnapshot, now: number): Record<string, unknown> {
  const { since, timers, breaks, goals } = snapshot;
  const minutes = [...new Set([...Object.keys(timers), ...Object.keys(breaks)].map(Number))].sort((a, b) => a - b);
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);
  const timerTotal = sum(timers);
  const breakTotal = sum(breaks);
  return {
    title: "Statistics · mob timer",
    since,
    sinceText: utcDateText(since),
    goals,
    goalNoun: noun(goals, "goal"),
    timerTotal,
    timerNoun: noun(timerTotal, "timer"),
    breakTotal,
    breakNoun: noun(breakTotal, "break"),
    // Read defensively: a snapshot stored before the server counted days and hours has neither.
    dayChart: dayChart(snapshot.days, now),
    hourChart: hourChart(snapshot.hours),
    rows: minutes.map((m) => ({ minutes: m, timers: timers[m] ?? 0, breaks: breaks[m] ?? 0 })),
  };
}

export function render(page: PageName, context: PageContext, view: Record<string, unknown>): string {
  return writer.render(TEMPLATES[page], { ...context, assets: assetFiles, ...view }, PARTIALS, { escape: escapeHtml });
}

/** A part of a page, on its own: no page frame, and nothing of the server's paths. */
export function renderFragment(fragment: FragmentName, view: Record<string, unknown>): string {
  return writer.render(FRAGMENTS[fragment], view, PARTIALS, { escape: escapeHtml });
}
