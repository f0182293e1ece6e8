// The start page: live counts from the server's /events stream.
const counts = document.querySelector<HTMLElement>("[data-events]");
if (counts?.dataset.events) {
  const source = new EventSource(counts.dataset.events);
  const show = (id: string) => (event: MessageEvent<string>) => {
    const element = document.getElementById(id);
    if (element) element.textContent = event.data;
  };
  source.addEventListener("ACTIVE_USERS_UPDATE", show("listeners"));
  source.addEventListener("ACTIVE_TIMERS_UPDATE", show("timers"));
}
