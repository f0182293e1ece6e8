// Who is here, kept in this process: each instance's report of the names it has here, per
// room, valid until the instance's last heartbeat runs out. The memory store's, and SQLite's
// (one instance owns a database; nothing about connections belongs on its disk). Several
// apps sharing one memory store report apart, as instances sharing Redis do.
import { mergedNames } from "../domain/presence.ts";
import type { Store } from "./store.ts";

interface Report {
  /** ms, the injected clock's: after this the instance is taken for gone, and its names with it. */
  until: number;
  rooms: Map<string, readonly string[]>;
}

/** Store's who-is-here methods, as properties a store takes over as they are (see MemoryStore). */
export class HereBoard implements Pick<Store, "reportHere" | "renewHere" | "readHere" | "subscribeHere"> {
  private readonly reports = new Map<string, Report>();
  private readonly listeners = new Set<(room: string) => void>();

  readonly reportHere = async (instance: string, room: string, names: readonly string[], until: number, now: number): Promise<void> => {
    this.dropGone(now);
    let report = this.reports.get(instance);
    if (!report) this.reports.set(instance, (report = { until, rooms: new Map() }));
    report.until = until;
    if (names.length === 0) report.rooms.delete(room);
    else report.rooms.set(room, [...names]);
    // Heard after this turn, as over a real feed: never in the middle of the reporter's own work.
    for (const listener of this.listeners) queueMicrotask(() => listener(room));
  };

  readonly renewHere = async (instance: string, until: number, now: number): Promise<boolean> => {
    this.dropGone(now);
    const report = this.reports.get(instance);
    if (report) report.until = until;
    else this.reports.set(instance, { until, rooms: new Map() });
    return report !== undefined;
  };

  readonly readHere = async (room: string, now: number): Promise<string[]> => {
    const live = [...this.reports.values()].filter((report) => report.until > now);
    return mergedNames(live.map((report) => report.rooms.get(room) ?? []));
  };

  readonly subscribeHere = (listener: (room: string) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private dropGone(now: number): void {
    for (const [instance, report] of this.reports) if (report.until <= now) this.reports.delete(instance);
  }
}
