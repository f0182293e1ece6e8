// Command-line numbers: a bad one ends the bench at once with exit 2, before anything starts.

export function integerOption(values: Record<string, unknown>, name: string, min: number): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`bench: --${name} must be an integer of at least ${min}`);
    process.exit(2);
  }
  return value;
}
