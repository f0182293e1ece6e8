// The start page: live counts, and the rooms this browser opened lately.
import { followCounts } from "./live-counts.ts";
import { recentRooms } from "./recent-rooms.ts";

function showRecentRooms(): void {
  const section = document.getElementById("recent");
  const list = document.getElementById("recent-list");
  const rooms = recentRooms();
  if (!section || !list || rooms.length === 0) return;
  const base = section.dataset.base ?? "";
  list.replaceChildren(
    ...rooms.map((room) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `${base}/${encodeURIComponent(room)}`;
      link.textContent = `#${room}`;
      item.append(link);
      return item;
    }),
  );
  section.hidden = false;
}

showRecentRooms();
followCounts();
