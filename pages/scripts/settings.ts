// The viewer's own settings, kept in this browser only: name, default lengths, sounds.
const SETTINGS_KEY = "mob-timer.settings";
const MAX_MINUTES = 1440;

export interface Settings {
  user: string;
  timer: number;
  breaktimer: number;
  sound: boolean;
  /** A short sound one minute before the end. */
  warn: boolean;
  /** The page asked for a name once; an empty name after that was the viewer's choice. */
  askedName: boolean;
}

export function validMinutes(value: unknown): number | null {
  const minutes = Number(value);
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_MINUTES ? minutes : null;
}

export function loadSettings(defaults: Settings): Settings {
  let stored: Partial<Record<keyof Settings, unknown>> = {};
  try {
    stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "{}") ?? {};
  } catch {
    // Storage blocked or garbled: the defaults serve.
  }
  return {
    user: typeof stored.user === "string" ? stored.user : defaults.user,
    timer: validMinutes(stored.timer) ?? defaults.timer,
    breaktimer: validMinutes(stored.breaktimer) ?? defaults.breaktimer,
    sound: typeof stored.sound === "boolean" ? stored.sound : defaults.sound,
    warn: typeof stored.warn === "boolean" ? stored.warn : defaults.warn,
    askedName: stored.askedName === true,
  };
}

export function saveSettings(settings: Settings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // Private windows may refuse storage; the settings then last for this visit.
  }
}
