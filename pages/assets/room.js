// The room page: a countdown driven by the room's event stream.
(() => {
  const app = document.getElementById("app");
  const room = app.dataset.room;
  const countdown = document.getElementById("countdown");
  let latest = null;
  function render() {
    let left = 0;
    if (latest && latest.requested) left = Math.max(0, Date.parse(latest.requested) + latest.timer * 60000 - Date.now());
    const seconds = Math.ceil(left / 1000);
    const text = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    countdown.textContent = text;
    document.title = `${text} #${room}`;
    document.getElementById("who").textContent = latest && latest.user ? latest.user : "";
  }
  const source = new EventSource(`${app.dataset.base}/${room}/events`);
  source.addEventListener("TIMER_REQUEST", (e) => { latest = JSON.parse(e.data); render(); });
  source.addEventListener("GOAL_REQUEST", (e) => { document.getElementById("goal").textContent = JSON.parse(e.data).goal || ""; });
  setInterval(render, 1000);
})();
