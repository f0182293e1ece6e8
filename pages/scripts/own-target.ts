// The team panel's form for a member's own target: an ntfy topic or a webhook told "you're
// next" and "your turn" for that member only. The server answers with the target masked
// (and a json target's secret, this once); the form says so, and why not when it refused.
import type { PersonalTarget } from "../../lib/domain/settings.ts";
import { byId, setText } from "./dom.ts";
import { keyHeaders } from "./room-key.ts";

/** `user` gives the viewer's name: whose target the form is for until they type another. */
export function setUpOwnTarget(apiUrl: string, user: () => string): void {
  const member = byId<HTMLInputElement>("own-target-member");
  const format = byId<HTMLSelectElement>("own-target-format");
  const url = byId<HTMLInputElement>("own-target-url");
  member.value = user();

  /** Sends the request; the answer's JSON, or null after saying in the team's problem line why not. */
  async function call<T>(method: string, body: unknown): Promise<T | null> {
    setText("team-problem", "");
    try {
      const response = await fetch(`${apiUrl}/targets`, { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...keyHeaders() } });
      const data = await response.json().catch(() => ({}));
      if (response.ok) return data as T;
      setText("team-problem", `That did not work: ${typeof data.error === "string" ? data.error : `the server answered ${response.status}`}.`);
    } catch {
      setText("team-problem", "That did not work: the server cannot be reached.");
    }
    return null;
  }

  byId<HTMLFormElement>("own-target-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = member.value.trim();
    const answer = await call<{ target: PersonalTarget; secret: string | null }>("PUT", { name, format: format.value, url: url.value.trim() });
    if (!answer) return;
    url.value = "";
    const secret = answer.secret ? ` Signing secret, shown this once: ${answer.secret}` : "";
    setText("own-target-state", `${name}'s own target: ${answer.target.url}.${secret}`);
  });
  byId("own-target-remove").addEventListener("click", async () => {
    const name = member.value.trim();
    if (name && (await call("DELETE", { name }))) setText("own-target-state", `${name} has no target of their own now.`);
  });
}
