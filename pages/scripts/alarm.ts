// What happens when time is up: a chime made with the Web Audio API and a desktop
// notification. Browsers let a page play audio only after the viewer has interacted with it:
// the audio context is made when the page loads, so that the page can tell whether sound is
// blocked, and woken by the first click or key press.
let audioContext: AudioContext | null = null;

declare global {
  interface Window {
    webkitAudioContext?: typeof AudioContext;
  }
}

export type AudioState = "on" | "blocked" | "unsupported";

function context(): AudioContext | null {
  const Context = window.AudioContext ?? window.webkitAudioContext;
  if (!Context) return null;
  audioContext ??= new Context();
  return audioContext;
}

export function audioState(): AudioState {
  const audio = context();
  return !audio ? "unsupported" : audio.state === "running" ? "on" : "blocked";
}

/** Calls `listener` whenever the browser lets the page's sound play, or stops it. */
export function onAudioStateChange(listener: () => void): void {
  context()?.addEventListener("statechange", listener);
}

/** Wakes sound; only works inside a click or key press (or after one). */
export function wakeAudio(): AudioContext | null {
  const audio = context();
  if (audio?.state === "suspended") audio.resume().catch(() => {});
  return audio;
}

/** One sine tone with a soft bell-like attack and decay: `peak` gain, `fade` seconds long. */
function tone(context: AudioContext, frequency: number, at: number, peak: number, fade: number): void {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = "sine";
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(peak, at + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + fade);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(at);
  oscillator.stop(at + fade + 0.1);
}

// A rising major arpeggio: clear across a room, never shrill.
const CHIME_HZ = [523.25, 659.25, 783.99, 1046.5];

export function chime(): void {
  const context = wakeAudio();
  if (!context) return;
  const start = context.currentTime + 0.05;
  CHIME_HZ.forEach((frequency, i) => tone(context, frequency, start + i * 0.18, 0.3, 1.4));
}

// One soft, short tone: a nudge that a minute is left, unlike the chime at the end.
const WARNING_HZ = 880;

export function beep(): void {
  const context = wakeAudio();
  if (context) tone(context, WARNING_HZ, context.currentTime + 0.05, 0.2, 0.35);
}

export type NotificationState = NotificationPermission | "unsupported";

export function notificationState(): NotificationState {
  return "Notification" in window ? Notification.permission : "unsupported";
}

/** Must run inside a click handler: browsers ignore or penalise asking on page load. */
export async function askForNotifications(): Promise<NotificationState> {
  if (notificationState() === "default") await Notification.requestPermission();
  return notificationState();
}

export function notify(title: string, body: string, tag: string): void {
  if (notificationState() !== "granted") return;
  try {
    new Notification(title, { body, tag });
  } catch {
    // Chrome on Android notifies only through a service worker; the chime still sounds.
  }
}
