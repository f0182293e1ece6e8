// A compact view for a corner of a shared screen: the countdown, who is next and the goal,
// nothing else. It lives in the address (#focus), so a reload or a bookmark keeps it; where
// the browser has Document Picture-in-Picture, the same view floats in a window of its own.
import { byId } from "./dom.ts";

declare global {
  interface Window {
    documentPictureInPicture?: { requestWindow(options?: { width?: number; height?: number }): Promise<Window> };
  }
}

const FOCUS_HASH = "#focus";

function showFocus(): void {
  const on = location.hash === FOCUS_HASH;
  document.documentElement.classList.toggle("focus-view", on);
  const button = byId("focus-view");
  button.setAttribute("aria-pressed", String(on));
  button.textContent = on ? "Show everything" : "Focus view";
}

/** Moves the room into a floating window, and back when that window closes. */
async function floatRoom(app: HTMLElement): Promise<void> {
  const picture = await window.documentPictureInPicture!.requestWindow({ width: 380, height: 330 });
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')) {
    picture.document.head.append(link.cloneNode());
  }
  picture.document.title = document.title;
  picture.document.documentElement.classList.add("focus-view", "floating");
  const home = byId("floating-note");
  picture.document.body.append(app);
  home.hidden = false;
  picture.addEventListener("pagehide", () => {
    home.hidden = true;
    home.before(app);
  });
}

export function setUpFocusView(app: HTMLElement): void {
  byId("focus-view").addEventListener("click", () => {
    if (location.hash === FOCUS_HASH) window.history.replaceState(null, "", location.pathname + location.search);
    else window.history.replaceState(null, "", FOCUS_HASH);
    showFocus();
  });
  window.addEventListener("hashchange", showFocus);
  showFocus();
  if (window.documentPictureInPicture) {
    const float = byId("float");
    float.hidden = false;
    float.addEventListener("click", () => floatRoom(app).catch(() => (float.hidden = true)));
  }
}
