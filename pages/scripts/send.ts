// Sends a change to the server (with the room's key when this browser keeps one), saying in
// the page's problem line when it did not work.
import { setText } from "./dom.ts";
import { keyHeaders } from "./room-key.ts";

/** Sends `body` as JSON; says whether the server took it, and why not in the element `problemId`. */
export async function sendChange(method: string, url: string, body: unknown, problemId: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method,
      // A claimed room's key, in a header: never a cookie, which another site's page could use.
      headers: { "Content-Type": "application/json", ...keyHeaders() },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const reason = await response.json().then(
        (answer: { error?: string }) => answer.error ?? response.statusText,
        () => response.statusText,
      );
      throw new Error(reason);
    }
    setText(problemId, "");
    return true;
  } catch (error) {
    const reason = error instanceof TypeError ? "the server cannot be reached" : (error as Error).message;
    setText(problemId, `That did not work: ${reason}.`);
    return false;
  }
}
