// The undo offer after a click that replaced something the team had: a running timer, a
// stopped one, a deleted goal. One offer at a time, for a few seconds.
import { byId, setText } from "./dom.ts";

const UNDO_MS = 10_000;

let pending: (() => void) | null = null;
let expiry: ReturnType<typeof setTimeout> | undefined;

function withdraw(): void {
  pending = null;
  clearTimeout(expiry);
  byId("undo").hidden = true;
}

/** Offers `action` under `text`; a later offer replaces this one. */
export function offerUndo(text: string, action: () => void): void {
  pending = action;
  setText("undo-text", text);
  byId("undo").hidden = false;
  clearTimeout(expiry);
  expiry = setTimeout(withdraw, UNDO_MS);
}

export function setUpUndo(): void {
  byId("undo-button").addEventListener("click", () => {
    const action = pending;
    withdraw();
    action?.();
  });
}
