// Who can change the room, on its page: claim it, keep its key in this browser (per room),
// share a link for viewers and one for members (the key in the URL's fragment, which no
// server ever receives), and, without the key, watch. Changes from this page send the key
// in a header, never in a cookie, so that no other site's request can carry it along.
import { byId, setText } from "./dom.ts";
import { longPoll } from "./poll.ts";
import { keepKey, keyHeaders, storedKey } from "./room-key.ts";
import { openStream, type StreamWatchers } from "./stream.ts";
import type { Handlers } from "./wire.ts";

const section = byId("owner");
const app = byId("app");
const room = app.dataset.room ?? "";
const ownerUrl = `${app.dataset.base}/api/rooms/${room}/owner`;
/** Unknown when the server could not read the room (its store down): the page then offers nothing here. */
const known = section.dataset.claimed !== undefined;
const claimed = section.dataset.claimed === "true";
const isPrivate = section.dataset.private === "true";
/** While this page changes the room's owner, the news of it is not a reason to reload: the change's answer is. */
let busy = false;

/** A member's link brings the key in the fragment: kept, then taken out of the address bar (and its history entry). */
function takeKeyFromLink(): void {
  const key = new URLSearchParams(location.hash.slice(1)).get("key");
  if (!key) return;
  keepKey(key);
  history.replaceState(history.state, "", location.pathname + location.search);
}

function ownerChanged(): void {
  if (!busy) location.reload();
}

/**
 * Follows the room: by its event stream, or, for a private room, by long-poll of its JSON
 * state, whose requests can carry the key (an EventSource cannot send a header). Returns the
 * function that connects again at once (a long-poll's next request does so anyway).
 */
export function followRoom(url: () => string, pollUrl: () => string, handlers: Handlers, watchers: StreamWatchers): () => void {
  const all = { ...handlers, ROOM_OWNER: ownerChanged };
  if (!isPrivate) return openStream(url, pollUrl, all, watchers);
  if (storedKey() !== null) {
    longPoll(pollUrl, all, (reached) => {
      watchers.connected(reached);
      if (!reached) void recheckKey();
    }, keyHeaders());
  }
  return () => {};
}

/** A private room's poll that fails may have lost its key to a rotation: the page then starts over, and says so. */
async function recheckKey(): Promise<void> {
  const headers = keyHeaders();
  // Forgotten already: the page has said so.
  if (!("X-Room-Key" in headers)) return;
  const response = await fetch(ownerUrl, { headers, cache: "no-store" }).catch(() => null);
  // The page's own check of a kept key (showKept) may have found it gone meanwhile and said
  // so: a reload now would start over without the key, and lose what the page said.
  if (response?.status === 401 && storedKey() !== null) location.reload();
}

/** Sends a change of the room's owner with the key; the answer's JSON, or null after saying what went wrong. */
async function send(method: string, path: string, body?: unknown): Promise<Record<string, unknown> | null> {
  busy = true;
  try {
    const response = await fetch(`${ownerUrl}${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...keyHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(String(answer.error ?? response.statusText));
    return answer;
  } catch (error) {
    setText("owner-problem", `That did not work: ${error instanceof TypeError ? "the server cannot be reached" : (error as Error).message}.`);
    busy = false;
    return null;
  }
}

function showMember(key: string): void {
  app.classList.remove("is-watching");
  byId("owner-member").hidden = false;
  const viewerLink = byId<HTMLAnchorElement>("room-url").href;
  setText("owner-viewer-link", viewerLink);
  setText("owner-member-link", `${viewerLink}#key=${key}`);
  const server = new URL(viewerLink);
  server.pathname = server.pathname.slice(0, -room.length);
  server.username = "team";
  server.password = key;
  setText("owner-env-url", `export MOB_TIMER_URL=${server.href}`);
  setText("owner-member-text", `Your team owns this ${isPrivate ? "private " : ""}room, and this browser keeps its key: you can change it.`);
  setText("owner-privacy", isPrivate ? "Let anyone watch" : "Make it private");
}

function showWatching(text: string): void {
  app.classList.add("is-watching");
  byId("owner-watching").hidden = false;
  setText("owner-watching-text", text);
}

const WATCHING = "This room is claimed by its team: only they can change it. You are watching.";
const PRIVATE = "This room is private: only its team can see it. Enter its key to join.";

/** A kept key is checked once: after a rotation it is forgotten, and the page says so. */
async function showKept(key: string): Promise<void> {
  const response = await fetch(ownerUrl, { headers: keyHeaders(), cache: "no-store" }).catch(() => null);
  if (response?.status === 401) {
    keepKey(null);
    showWatching(`The key kept in this browser is no longer this room's (it was changed). ${isPrivate ? PRIVATE : WATCHING}`);
    return;
  }
  showMember(key);
}

export function setUpOwner(): void {
  takeKeyFromLink();
  const key = storedKey();
  if (!known) return;
  if (!claimed) {
    if (key !== null) keepKey(null);
    byId("owner-free").hidden = false;
  } else if (key === null) showWatching(isPrivate ? PRIVATE : WATCHING);
  else {
    // Until the check answers, the page does not offer what the key may no longer allow.
    app.classList.add("is-watching");
    void showKept(key);
  }

  byId("owner-claim").addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await send("POST", "", { private: byId<HTMLInputElement>("owner-claim-private").checked });
    if (answer === null) return;
    keepKey(String(answer.key));
    location.reload();
  });
  byId("owner-enter").addEventListener("submit", async (event) => {
    event.preventDefault();
    const entered = byId<HTMLInputElement>("owner-key").value.trim();
    if (!entered) return;
    const response = await fetch(ownerUrl, { headers: { "X-Room-Key": entered }, cache: "no-store" }).catch(() => null);
    if (response?.ok) {
      keepKey(entered);
      location.reload();
    } else setText("owner-problem", response?.status === 401 ? "That is not this room's key." : "The key could not be checked; try again.");
  });
  byId("owner-privacy").addEventListener("click", async () => {
    if (await send("PUT", "", { private: !isPrivate })) location.reload();
  });
  byId("owner-rotate").addEventListener("click", async () => {
    const answer = await send("POST", "/key");
    if (answer === null) return;
    keepKey(String(answer.key));
    location.reload();
  });
  byId("owner-release").addEventListener("click", async () => {
    if (!(await send("DELETE", ""))) return;
    keepKey(null);
    location.reload();
  });
  byId("owner-forget").addEventListener("click", () => {
    keepKey(null);
    location.reload();
  });
}
