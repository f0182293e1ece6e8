// Live counts of the server's listeners and running timers, from its /events stream, for any
// page with an element carrying data-events (the start page and the statistics page).
import type { CountEvents } from "../../lib/live/wire.ts";

export function followCounts(): void {
  const counts = document.querySelector<HTMLElement>("[data-events]");
  if (!counts?.dataset.events) return;
  const source = new EventSource(counts.dataset.events);
  const show = (name: keyof CountEvents, id: string) =>
    source.addEventListener(name, (event: MessageEvent<string>) => {
      const element = document.getElementById(id);
      if (element) element.textContent = event.data;
    });
  show("ACTIVE_USERS_UPDATE", "listeners");
  show("ACTIVE_TIMERS_UPDATE", "timers");
}
