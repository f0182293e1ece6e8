// The statistics page's charts: bars for activity per day and per hour of day, laid out here
// as numbers that the template turns into SVG. No chart library: two bar charts are a few
// rectangles, and the page stays free of scripts for them.

/** The drawing's own units; the SVG scales to its box. */
const WIDTH = 720;
const HEIGHT = 180;
const AXIS_LABELS = 24;
const TOP = 8;
/** Room at either side for the first and last axis label. */
const SIDE = 24;
const GAP = 0.2;

export const CHART_DAYS = 30;
const DAY_MS = 86_400_000;
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

const units = (n: number) => n.toFixed(1);

function barChart(points: { label: string; count: number; tick: string }[], what: string, at: string): Chart {
  const baseline = HEIGHT - AXIS_LABELS;
  const max = Math.max(1, ...points.map((p) => p.count));
  const slot = (WIDTH - 2 * SIDE) / points.length;
  const bars = points.map((point, i) => {
    const height = ((baseline - TOP) * point.count) / max;
    return {
      x: units(SIDE + i * slot + (slot * GAP) / 2),
      y: units(baseline - height),
      width: units(slot * (1 - GAP)),
      height: units(height),
      label: point.label,
      count: point.count,
    };
  });
  const ticks = points.flatMap((point, i) => (point.tick ? [{ x: units(SIDE + i * slot + slot / 2), label: point.tick }] : []));
  const total = points.reduce((sum, p) => sum + p.count, 0);
  const busiest = points.reduce((best, p) => (p.count > best.count ? p : best), points[0]!);
  const summary = total === 0 ? `Nothing started ${what}.` : `${total} started ${what}; the most, ${busiest.count}, ${at} ${busiest.label}.`;
  return { width: WIDTH, height: HEIGHT, baseline, labelY: HEIGHT - 6, centerX: WIDTH / 2, centerY: baseline / 2, bars, ticks, total, summary };
}

function dayName(ms: number): string {
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
  return barChart(points, `in the last ${CHART_DAYS} days`, "on");
}

/** Starts by UTC hour of the day, 00 to 23. */
export function hourChart(hours: readonly number[]): Chart {
  const points = Array.from({ length: 24 }, (_, hour) => {
    const name = `${String(hour).padStart(2, "0")}:00`;
    return { label: `${name} UTC`, count: Number(hours[hour]) || 0, tick: hour % 3 === 0 ? name : "" };
  });
  return barChart(points, "by hour of day", "at");
}
