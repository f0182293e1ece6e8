// The schema of the store the old room core uses: the first two steps of the one list in
// lib/store/migrations.ts, which the new store continues.
import type { Database } from "bun:sqlite";
import { MIGRATIONS as ALL_STEPS, migrate as migrateSteps } from "./store/migrations.ts";

export const MIGRATIONS: readonly string[] = ALL_STEPS.slice(0, 2);

export function migrate(db: Database, steps: readonly string[] = MIGRATIONS): void {
  migrateSteps(db, steps);
}
