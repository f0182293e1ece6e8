// Bar charts, laid out here as numbers that pages/chart.mustache turns into SVG: the
// statistics page's activity per day and per hour of day, and a team room's turns and
// minutes per person. No chart library: a bar chart is a few rectangles, and the pages stay
// free of scripts for them.
import { DAY_MS } from "../base/clock.ts";

/** The drawing's own units; the SVG scales to its box. */
const WIDTH = 720;
const HEIGHT = 180;
const AXIS_LABELS = 24;
const TOP = 8;
/** Room at either side for the first and last axis label. */
const SIDE = 24;
const GAP = 0.2;

export const CHART_DAYS = 30;
const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

export interface Bar {
  x: string;
  y: string;
  width: string;
  height: string;
  /** What a pointer's tooltip and a screen reader's table say about the bar. */
  label: string;
  count: number;
}

export interface Tick {
  x: string;
  label: string;
}

export interface Chart {
  width: number;
  height: number;
  baseline: number;
  /** Where the axis labels sit, under the baseline. */
  labelY: number;
  /** The middle of the plot, for the note on an empty chart. */
  centerX: number;
  centerY: number;
  bars: Bar[];
  ticks: Tick[];
  total: number;
  /** One sentence for people who do not see the bars. */
  summary: string;
}

export interface BarPoint {
  label: string;
  count: number;
  /** The axis label under the bar; empty for none. */
  tick: string;
}

/** The drawing's size in its own units: a narrower one keeps its labels readable in a narrow box. */
export interface ChartSize {
  width: number;
  height: number;
}

const units = (n: number) => n.toFixed(1);

/** `summary(total, busiest)` says in one sentence what the bars show. */
export function barChart(points: BarPoint[], summary: (total: number, busiest: BarPoint) => string, size: ChartSize = { width: WIDTH, height: HEIGHT }): Chart {
  const { width, height } = size;
  const baseline = height - AXIS_LABELS;
  const max = Math.max(1, ...points.map((p) => p.count));
  const slot = (width - 2 * SIDE) / points.length;
  const bars = points.map((point, i) => {
    const barHeight = ((baseline - TOP) * point.count) / max;
    return {
      x: units(SIDE + i * slot + (slot * GAP) / 2),
      y: units(baseline - barHeight),
      width: units(slot * (1 - GAP)),
      height: units(barHeight),
      label: point.label,
      count: point.count,
    };
  });
  const ticks = points.flatMap((point, i) => (point.tick ? [{ x: units(SIDE + i * slot + slot / 2), label: point.tick }] : []));
  const total = points.reduce((sum, p) => sum + p.count, 0);
  const busiest = points.reduce((best, p) => (p.count > best.count ? p : best), points[0]!);
  return { width, height, baseline, labelY: height - 6, centerX: width / 2, centerY: baseline / 2, bars, ticks, total, summary: summary(total, busiest) };
}

/** The statistics page's sentence: what was started, and when the most. */
function started(what: string, at: string) {
  return (total: number, busiest: BarPoint) => (total === 0 ? `Nothing started ${what}.` : `${total} started ${what}; the most, ${busiest.count}, ${at} ${busiest.label}.`);
}

/** "3 Dec": a UTC day as the charts and the rotation panel name it. */
export function dayName(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
}

/** The last CHART_DAYS UTC days up to the day of `now`, days without a count as 0. */
export function dayChart(days: Record<string, number>, now: number): Chart {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const points = Array.from({ length: CHART_DAYS }, (_, i) => {
    const day = today - (CHART_DAYS - 1 - i) * DAY_MS;
    const key = new Date(day).toISOString().slice(0, 10);
    // A label every week, counted back from today, so that today always has one.
    const tick = (CHART_DAYS - 1 - i) % 7 === 0 ? dayName(day) : "";
    return { label: dayName(day), count: Number(days[key]) || 0, tick };
  });
  return barChart(points, started(`in the last ${CHART_DAYS} days`, "on"));
}

/** Starts by UTC hour of the day, 00 to 23. */
export function hourChart(hours: readonly number[]): Chart {
  const points = Array.from({ length: 24 }, (_, hour) => {
    const name = `${String(hour).padStart(2, "0")}:00`;
    return { label: `${name} UTC`, count: Number(hours[hour]) || 0, tick: hour % 3 === 0 ? name : "" };
  });
  return barChart(points, started("by hour of day", "at"));
}
