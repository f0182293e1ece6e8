// One line per thing worth telling an operator: readable text by default, JSON lines for
// log collectors.
export type LogFormat = "text" | "json";
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  /** Writes out what is buffered; call before exiting. */
  flush(): void;
}

function textValue(value: string | number | boolean | null): string {
  const text = String(value);
  return /^[^\s"=]*$/.test(text) && text !== "" ? text : JSON.stringify(text);
}

/**
 * Standard output, written once per turn of the event loop: a line per timer is cheap even
 * when thousands arrive a second, and lines are never held for longer than that turn.
 */
function stdoutLines(): { write(line: string): void; flush(): void } {
  const sink = Bun.stdout.writer();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    sink.flush();
  };
  return {
    write(line) {
      sink.write(`${line}\n`);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

export function createLogger(format: LogFormat, output: { write(line: string): void; flush(): void } = stdoutLines()): Logger {
  const write = (line: string) => output.write(line);
  return {
    flush: () => output.flush(),
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

export const silentLogger: Logger = { log() {}, flush() {} };
