// Small helpers for the page's elements. Everything a user or the server supplies is shown
// as text: user-supplied text never becomes markup.

const found = new Map<string, HTMLElement>();

/**
 * An element the page's template is known to have. Found once and kept: the room may move
 * into a Picture-in-Picture window's document, where `document` no longer finds it.
 */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  let element = found.get(id);
  if (!element) {
    element = document.getElementById(id) ?? undefined;
    if (!element) throw new Error(`the page has no #${id}`);
    found.set(id, element);
  }
  return element as T;
}

/** Sets the text only when it changes, so that a once-a-second loop touches nothing else. */
export function setText(id: string, text: string): void {
  const element = byId(id);
  if (element.textContent !== text) element.textContent = text;
}

export function textElement<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}
