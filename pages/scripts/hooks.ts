// The room's webhooks panel: the list (URLs and secrets masked by the server), a form to add
// one, and per hook its buttons: send a test, resume when paused, remove. The room's stream
// tells every open page of changes (HOOKS_UPDATE), a pause after failures included. In a
// claimed room the stream and a request without the key tell only each hook's kind and
// events: a page with the key then reads the rest.
import type { HookShown, HooksUpdate } from "../../lib/live/wire.ts";
import { byId, setText, textElement } from "./dom.ts";
import { keyHeaders } from "./room-key.ts";

const FORMAT_NAMES: Record<string, string> = { slack: "Slack", mattermost: "Mattermost", teams: "Microsoft Teams", ntfy: "ntfy", json: "JSON" };

export function setUpHooks(base: string, room: string): { update(data: HooksUpdate): void } {
  const api = `${base}/api/rooms/${room}/hooks`;
  const form = byId<HTMLFormElement>("hook-form");
  const list = byId<HTMLUListElement>("hook-list");

  /** The words the form's checkboxes use for each event. */
  function eventLabel(event: string): string {
    const box = form.querySelector<HTMLInputElement>(`input[name="events"][value="${CSS.escape(event)}"]`);
    return box?.parentElement?.textContent?.trim() ?? event;
  }

  function status(text: string): void {
    setText("hooks-status", text);
  }

  function problem(text: string): void {
    setText("hooks-problem", text);
  }

  /** Sends a request; the answer's JSON, or null after showing what went wrong. */
  async function call<T>(method: string, path: string, body?: unknown): Promise<T | null> {
    problem("");
    try {
      const response = await fetch(`${api}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "Content-Type": "application/json", ...keyHeaders() } });
      const data = await response.json().catch(() => ({}));
      if (response.ok) return data as T;
      problem(typeof data.error === "string" ? `Not done: ${data.error}.` : `Not done: the server answered ${response.status}.`);
    } catch {
      problem("Not done: the server is out of reach.");
    }
    return null;
  }

  function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
    const element = textElement("button", "quiet", text);
    element.type = "button";
    element.setAttribute("aria-label", label);
    element.addEventListener("click", onClick);
    return element;
  }

  function item(hook: HookShown): HTMLLIElement {
    const name = `${FORMAT_NAMES[hook.format] ?? hook.format} webhook${hook.url === undefined ? "" : ` to ${hook.url}`}`;
    const li = textElement("li", hook.paused ? "hook is-paused" : "hook", "");
    li.dataset.hook = hook.id;
    const what = textElement("p", "hook-what", "");
    what.append(textElement("strong", "", FORMAT_NAMES[hook.format] ?? hook.format));
    if (hook.url !== undefined) what.append(" ", textElement("code", "hook-url", hook.url));
    li.append(what, textElement("p", "hook-when muted", `When ${hook.events.map(eventLabel).join(", ")}`));
    if (hook.secret) li.append(textElement("p", "muted", `Signed with the secret ending ${hook.secret.slice(-4)}`));
    if (hook.paused) {
      li.append(textElement("p", "hook-paused", `Paused after ${hook.failures === undefined ? "failed deliveries" : `${hook.failures} failed ${hook.failures === 1 ? "delivery" : "deliveries"}`} in a row${hook.lastError ? ` (last: ${hook.lastError})` : ""}. Nothing is sent until it is resumed.`));
    } else if (hook.lastError) {
      li.append(textElement("p", "hook-failing", `Last delivery failed: ${hook.lastError}`));
    }
    const actions = textElement("div", "hook-actions", "");
    if (hook.paused) actions.append(button("Resume", `Resume the ${name}`, () => void resume(hook.id)));
    actions.append(button("Send a test", `Send a test to the ${name}`, () => void sendTest(hook.id)));
    actions.append(button("Remove", `Remove the ${name}`, () => void remove(hook.id)));
    li.append(actions);
    return li;
  }

  function show({ hooks }: HooksUpdate): void {
    // A redrawn list keeps the keyboard's place: the same button of the same hook, or the heading when the hook is gone.
    const active = document.activeElement;
    const holder = active instanceof HTMLButtonElement ? active.closest<HTMLElement>("[data-hook]") : null;
    const kept = holder && { id: holder.dataset.hook ?? "", text: active!.textContent };
    list.replaceChildren(...hooks.map(item));
    byId("hooks-empty").hidden = hooks.length > 0;
    if (!kept) return;
    const buttons = list.querySelectorAll<HTMLButtonElement>(`[data-hook="${CSS.escape(kept.id)}"] button`);
    ([...buttons].find((b) => b.textContent === kept.text) ?? byId("hooks-heading")).focus();
  }

  async function load(): Promise<void> {
    const data = await call<HooksUpdate>("GET", "");
    if (data) show(data);
  }

  async function remove(id: string): Promise<void> {
    const data = await call<HooksUpdate>("DELETE", `/${id}`);
    if (!data) return;
    show(data);
    byId("hooks-heading").focus();
    status("Webhook removed.");
  }

  async function resume(id: string): Promise<void> {
    const data = await call<HooksUpdate>("POST", `/${id}/resume`);
    if (!data) return;
    show(data);
    status("Webhook resumed.");
  }

  async function sendTest(id: string): Promise<void> {
    status("Sending a test…");
    const data = await call<{ delivered: boolean; status?: number; error?: string }>("POST", `/${id}/test`);
    if (!data) return status("");
    status(data.delivered ? `Test delivered (the receiver answered ${data.status}).` : `Test not delivered: ${data.error}.`);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    const events = fields.getAll("events");
    if (events.length === 0) return problem("Choose at least one moment to send word.");
    const data = await call<{ hook: HookShown; secret: string | null }>("POST", "", { format: fields.get("format"), url: String(fields.get("url")).trim(), events });
    if (!data) return;
    byId<HTMLInputElement>("hook-url").value = "";
    byId("hooks-secret").hidden = data.secret === null;
    setText("hooks-secret-value", data.secret ?? "");
    status("Webhook added.");
    await load();
  });

  void load();
  return { update: (data) => (data.hooks.some((hook) => hook.url === undefined) && "X-Room-Key" in keyHeaders() ? void load() : show(data)) };
}
