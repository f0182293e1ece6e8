// Settings that cannot work as given on this machine or together: adjusted where the server
// can do better by itself, and told to the operator in a warning at start when the operator
// asked for them (a default fitted to the machine is shown on the start line only).
import { defaultConfig, type Config } from "../config.ts";
import { streamsWithin } from "./fd-limit.ts";
import type { LogFields } from "../base/log.ts";

export interface StartupWarning {
  message: string;
  fields: LogFields;
}

export function checkStartup(config: Config, fileLimit: number | null): { config: Config; warnings: StartupWarning[] } {
  const warnings: StartupWarning[] = [];
  let checked = config;
  if (fileLimit !== null && config.maxStreams > streamsWithin(fileLimit)) {
    const maxStreams = streamsWithin(fileLimit);
    checked = { ...checked, maxStreams };
    if (config.maxStreams !== defaultConfig().maxStreams) {
      warnings.push({
        message: "MAX_STREAMS lowered to fit the open-file limit; raise the limit (ulimit -n, LimitNOFILE=) for more",
        fields: { configured: config.maxStreams, maxStreams, openFileLimit: fileLimit },
      });
    }
  }
  const historyMinutes = config.historyMs / 60_000;
  if (config.maxMinutes > historyMinutes) {
    warnings.push({
      message: "MAX_MINUTES is longer than HISTORY_HOURS: a timer that long leaves the history while it still runs",
      fields: { maxMinutes: config.maxMinutes, historyMinutes },
    });
  }
  return { config: checked, warnings };
}
