// Live counts of the server's listeners and running timers, from its /events stream, for any
// page with an element carrying data-events (the start page and the statistics page).
export function followCounts(): void {
  const counts = document.querySelector<HTMLElement>("[data-events]");
  if (!counts?.dataset.events) return;
  const source = new EventSource(counts.dataset.events);
  const show = (id: string) => (event: MessageEvent<string>) => {
    const element = document.getElementById(id);
    if (element) element.textContent = event.data;
  };
  source.addEventListener("ACTIVE_USERS_UPDATE", show("listeners"));
  source.addEventListener("ACTIVE_TIMERS_UPDATE", show("timers"));
}
