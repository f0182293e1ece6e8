// One line per thing worth telling an operator: readable text by default, JSON lines for
// log collectors.
import { isoTime } from "./clock.ts";

export type LogFormat = "text" | "json";
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  /** Writes out what is buffered; call before exiting. */
  flush(): void;
}

/** A value as it stands in a text line: bare when that is unambiguous, else quoted. */
function textValue(value: string | number | boolean | null): string {
  if (typeof value !== "string") return String(value);
  return value !== "" && /^[^\s"=]*$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Standard output, written once per turn of the event loop: a line per timer is cheap even
 * when thousands arrive a second (Bun's writer makes a system call per write), and lines
 * are never held for longer than that turn.
 */
function stdoutLines(): { write(line: string): void; flush(): void } {
  const sink = Bun.stdout.writer();
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    sink.write(pending);
    sink.flush();
    pending = "";
  };
  return {
    write(line) {
      if (pending === "") setImmediate(flush);
      pending += `${line}\n`;
    },
    flush,
  };
}

const LEVEL_LABELS: Record<LogLevel, string> = { info: "INFO ", warn: "WARN ", error: "ERROR" };

export function createLogger(format: LogFormat, output: { write(line: string): void; flush(): void } = stdoutLines()): Logger {
  return {
    flush: () => output.flush(),
    log(level, message, fields = {}) {
      const time = isoTime(Date.now());
      if (format === "json") {
        // JSON.stringify leaves out undefined fields by itself.
        output.write(JSON.stringify({ time, level, msg: message, ...fields }));
        return;
      }
      let line = `${time} ${LEVEL_LABELS[level]} ${message}`;
      for (const key in fields) {
        const value = fields[key];
        if (value !== undefined) line += ` ${key}=${textValue(value)}`;
      }
      output.write(line);
    },
  };
}

export const silentLogger: Logger = { log() {}, flush() {} };
