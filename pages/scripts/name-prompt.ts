// A first-time viewer is asked for a name before their first start or goal: a nameless timer
// reads "someone" in the team's history and breaks the rotation of who is next. Asked once;
// skipping is remembered too.
import { byId } from "./dom.ts";
import { saveSettings, type Settings } from "./settings.ts";

/** Resolves true when the action may go ahead (with or without a name), false if dismissed. */
export function askNameOnce(settings: Settings, onNamed: () => void): Promise<boolean> {
  if (settings.user || settings.askedName) return Promise.resolve(true);
  const dialog = byId<HTMLDialogElement>("name-dialog");
  const input = byId<HTMLInputElement>("name-input");
  input.value = "";
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        const answer = dialog.returnValue;
        if (answer !== "save" && answer !== "skip") return resolve(false);
        settings.askedName = true;
        if (answer === "save") settings.user = input.value.trim();
        saveSettings(settings);
        onNamed();
        resolve(true);
      },
      { once: true },
    );
  });
}
