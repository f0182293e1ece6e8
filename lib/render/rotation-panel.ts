// A team room's statistics panel on its room page: the last days' turns and minutes of work
// per person as bars, the spread between the most and the least, and how long each waited
// from the end of a turn to their next. Drawn on the server from the report alone; the
// page's script fetches it with the room's key and puts it in place (pages/scripts/rotation.ts).
import type { PersonStats, RotationReport } from "../domain/rotation-stats.ts";
import { barChart, dayName, type Chart } from "./charts.ts";
import { renderFragment } from "./pages.ts";

/**
 * Narrower than the statistics page's charts: two sit side by side on a wide screen, and on
 * a phone one fills the width with its names still readable.
 */
const SIZE = { width: 320, height: 160 };
/** "3 Dec" of "2026-12-03". */
const dayOf = (day: string) => dayName(Date.parse(day));

function plural(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A name as the axis has room for: the fewer the people, the longer. The bar's title and the table say it whole. */
function tickOf(name: string, people: number): string {
  const room = Math.max(3, Math.min(12, Math.floor(32 / people)));
  return name.length <= room ? name : `${name.slice(0, room - 1)}…`;
}

function personChart(people: readonly PersonStats[], count: (p: PersonStats) => number, what: string): Chart {
  const points = people.map((p) => ({ label: p.name, count: count(p), tick: tickOf(p.name, people.length) }));
  const summary = `${what} per person: ${points.map((p) => `${p.label} ${p.count}`).join(", ")}.`;
  return barChart(points, () => summary, SIZE);
}

const minutesOf = (p: PersonStats) => Math.round(p.workMinutes);

/** Who has the most and who the least of `count`: "most 12 turns (alice), least 7 (carol)". */
function spreadOf(people: readonly PersonStats[], count: (p: PersonStats) => number, unit: string, units: string): string {
  const counts = people.map(count);
  const most = Math.max(...counts);
  const least = Math.min(...counts);
  const who = (n: number) => people.filter((p) => count(p) === n).map((p) => p.name).join(", ");
  if (most === least) return `everyone ${plural(most, unit, units)}`;
  return `most ${plural(most, unit, units)} (${who(most)}), least ${least} (${who(least)})`;
}

function nextTurnText(p: PersonStats): string {
  if (!p.nextTurn) return "none yet";
  const { averageMinutes, minMinutes, maxMinutes } = p.nextTurn;
  const average = `${Math.round(averageMinutes)} min`;
  return minMinutes === maxMinutes ? average : `${average} (${Math.round(minMinutes)} to ${Math.round(maxMinutes)})`;
}

/** What pages/rotation.mustache shows of the report: its whole span, as one period. */
function rotationView(report: RotationReport): Record<string, unknown> {
  const { people, breaks, breakMinutes, longestStretchMinutes, rounds } = report.total;
  const turns = people.reduce((sum, p) => sum + p.turns, 0);
  return {
    period: plural(report.days.length, "day"),
    span: report.from === report.to ? dayOf(report.to) : `${dayOf(report.from)} to ${dayOf(report.to)}`,
    turns: turns > 0,
    totals: [plural(turns, "turn"), breaks === 0 ? "no breaks" : `${plural(breaks, "break")} (${Math.round(breakMinutes)} min)`, plural(rounds, "full round"), `longest stretch without a break ${Math.round(longestStretchMinutes)} min`].join(" · "),
    spread: people.length > 1 && `Spread: ${spreadOf(people, (p) => p.turns, "turn", "turns")}; ${spreadOf(people, minutesOf, "minute of work", "minutes of work")}.`,
    turnsChart: turns > 0 && personChart(people, (p) => p.turns, "Turns"),
    minutesChart: turns > 0 && personChart(people, minutesOf, "Minutes of work"),
    people: people.map((p) => ({ name: p.name, turns: p.turns, minutes: minutesOf(p), nextTurn: nextTurnText(p) })),
  };
}

/** The panel's HTML: a heading, a line of totals, two charts and the table of their numbers. */
export function rotationPanel(report: RotationReport): string {
  return renderFragment("rotation", rotationView(report));
}
