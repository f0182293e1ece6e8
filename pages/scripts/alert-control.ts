// The one "Alert me when time is up" control beside the timer. A team that starts its timers
// from the `mob` tool may never click the page, and browsers keep its sound blocked until
// someone does: so the page says so where everyone looks, and one click wakes the sound and
// asks for notifications together.
import { askForNotifications, audioState, notificationState, onAudioStateChange, wakeAudio, type AudioState, type NotificationState } from "./alarm.ts";
import { byId, setText } from "./dom.ts";
import type { Settings } from "./settings.ts";

const NOTIFICATION_TEXTS: Record<NotificationState, string> = {
  granted: "notifications are on",
  default: "notifications are off",
  denied: "notifications are blocked in this browser's site settings",
  unsupported: "this browser cannot show notifications",
};

function soundText(sound: boolean, audio: AudioState): string {
  if (!sound) return "Sound is off in the settings";
  return audio === "unsupported" ? "This browser cannot play sound" : "Sound is on";
}

function stateText(sound: boolean, audio: AudioState, notifications: NotificationState): string {
  if (sound && audio === "on" && notifications === "granted") return "Sound and notifications are on.";
  const notificationText = NOTIFICATION_TEXTS[notifications];
  // Blocked sound has its own warning just above; this line then speaks of notifications.
  if (sound && audio === "blocked") return `${notificationText[0]!.toUpperCase()}${notificationText.slice(1)}.`;
  return `${soundText(sound, audio)}; ${notificationText}.`;
}

/** Shows the alert state now and whenever it changes; returns the function that redraws it. */
export function setUpAlertControl(settings: Settings): () => void {
  const alert = byId("alert");
  const show = () => {
    const audio = audioState();
    const notifications = notificationState();
    const blocked = settings.sound && audio === "blocked";
    byId("sound-blocked").hidden = !blocked;
    alert.hidden = !blocked && notifications !== "default";
    setText("alert-state", stateText(settings.sound, audio, notifications));
  };
  alert.addEventListener("click", () => {
    wakeAudio();
    askForNotifications().then(show);
  });
  // Any click or key press lets sound play; wake it then, ready for the end. Not on a press
  // of the alert button itself, which wakes it in its click: waking on the press would hide
  // the "blocked" line and move the button before the click lands, and the click would be lost.
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, (event) => settings.sound && !alert.contains(event.target as Node) && wakeAudio());
  }
  onAudioStateChange(show);
  show();
  return show;
}
