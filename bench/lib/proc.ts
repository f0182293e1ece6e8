// What a process costs, read from /proc: the figures are the server's own, not the bench's.
import { cpus, loadavg } from "node:os";
import { readdirSync, readFileSync } from "node:fs";

/** A line of /proc/<pid>/status in KiB: VmRSS, or its parts RssAnon (heap) and RssFile (mapped code). */
export function statusKiB(pid: number, field: "VmRSS" | "RssAnon" | "RssFile" = "VmRSS"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]);
}

/** CPU seconds used so far, user and system (fields 14 and 15 of a /proc/.../stat file). */
function statCpuSeconds(path: string): number {
  const stat = readFileSync(path, "utf8");
  // The command name may hold spaces and parentheses; the fields start after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds the process `pid` used so far, user and system. */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/** CPU seconds each thread of this process used so far, by thread name (threads of one name summed). */
export function ownThreadCpuSeconds(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    const name = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
    byName.set(name, (byName.get(name) ?? 0) + statCpuSeconds(`/proc/self/task/${tid}/stat`));
  }
  return byName;
}

/** The bench process's own CPU seconds, to see whether the client was the limit. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Soft limit on open files: each listener takes one descriptor in the bench and one in the
 * server, and a Bun process cannot raise its own limit.
 */
export function openFileLimit(): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return match?.[1] === undefined || match[1] === "unlimited" ? Infinity : Number(match[1]);
}

/** One line about the machine: the figures mean little without it. */
export function machineLine(): string {
  const [one, five] = loadavg();
  return `machine: ${cpus().length} CPU (${cpus()[0]?.model.trim() ?? "?"}), load average ${one!.toFixed(2)} / ${five!.toFixed(2)} (1 / 5 min), Bun ${Bun.version}`;
}
