// One line per thing worth telling an operator: readable text by default, JSON lines for
// log collectors.
export type LogFormat = "text" | "json";
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

function textValue(value: string | number | boolean | null): string {
  const text = String(value);
  return /^[^\s"=]*$/.test(text) && text !== "" ? text : JSON.stringify(text);
}

export function createLogger(format: LogFormat, write: (line: string) => void = (l) => console.log(l)): Logger {
  return {
    log(level, message, fields = {}) {
      const time = new Date().toISOString();
      const defined = Object.entries(fields).filter(([, v]) => v !== undefined) as [string, string | number | boolean | null][];
      if (format === "json") {
        write(JSON.stringify({ time, level, msg: message, ...Object.fromEntries(defined) }));
      } else {
        const pairs = defined.map(([k, v]) => `${k}=${textValue(v)}`).join(" ");
        write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${pairs ? ` ${pairs}` : ""}`);
      }
    },
  };
}

export const silentLogger: Logger = { log() {} };
