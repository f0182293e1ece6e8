// This browser's key of the room its page shows, kept per room, and the header that carries
// it: never a cookie, which another site's page could send along.
import { byId } from "./dom.ts";

const storageName = `mob-timer.room-key.${byId("app").dataset.room ?? ""}`;

export function storedKey(): string | null {
  return localStorage.getItem(storageName);
}

export function keepKey(key: string | null): void {
  if (key === null) localStorage.removeItem(storageName);
  else localStorage.setItem(storageName, key);
}

/** The headers that carry this browser's key for the room, if it keeps one. */
export function keyHeaders(): Record<string, string> {
  const key = storedKey();
  return key === null ? {} : { "X-Room-Key": key };
}
