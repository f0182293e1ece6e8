// The one output format of every bench script: a title and aligned rows.

export type Row = readonly (string | number)[];

function cell(value: string | number): string {
  if (typeof value === "string") return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return thousands(value);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** 10000 as "10,000", for titles and labels. */
export function thousands(value: number): string {
  return value.toLocaleString("en-US");
}

/** Prints a table; numbers are right-aligned, text left-aligned. */
export function printTable(title: string, header: Row, rows: readonly Row[]): void {
  const all = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.every((row) => typeof row[i] === "number"));
  const line = (row: string[]) =>
    row.map((text, i) => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join("  ").trimEnd();
  console.log(`\n${title}`);
  console.log(line(all[0]!));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of all.slice(1)) console.log(line(row));
}

/** "yes" when a figure meets its target, for the column beside it. */
export function verdict(ok: boolean): string {
  return ok ? "yes" : "NO";
}
