// The rooms this browser has opened, latest first, for the start page to offer again.
const RECENT_KEY = "mob-timer.recent";
const RECENT_CAP = 8;

export function recentRooms(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(stored) ? stored.filter((room): room is string => typeof room === "string").slice(0, RECENT_CAP) : [];
  } catch {
    return [];
  }
}

export function rememberRoom(room: string): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([room, ...recentRooms().filter((r) => r !== room)].slice(0, RECENT_CAP)));
  } catch {
    // Storage refused: the start page simply offers no recent rooms.
  }
}
