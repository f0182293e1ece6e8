// Live counts on the start page, from the server's /events stream.
const counts = document.querySelector("[data-events]");
if (counts) {
  const source = new EventSource(counts.dataset.events);
  source.addEventListener("ACTIVE_USERS_UPDATE", (e) => (document.getElementById("listeners").textContent = e.data));
  source.addEventListener("ACTIVE_TIMERS_UPDATE", (e) => (document.getElementById("timers").textContent = e.data));
}
