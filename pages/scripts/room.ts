// The room page: follows the room's event stream, counts down on the viewer's clock, and
// sends the team's requests.
import { beep, chime, notify } from "./alarm.ts";
import { setUpAlertControl } from "./alert-control.ts";
import { enableCopyButtons } from "./copy.ts";
import { byId, setText, textElement } from "./dom.ts";
import { DAY_MS, MINUTE_MS, clockTime, kindName } from "./format.ts";
import { showFavicon } from "./favicon.ts";
import { History, renderHistoryList, renderTimeline } from "./history.ts";
import { loadSettings, saveSettings, validMinutes } from "./settings.ts";
import { openStream } from "./stream.ts";
import { endOf, timerView } from "./timer-view.ts";
import { isEmptyRequest, isTimerEntry, type GoalRequest, type TimerEntry, type TimerRequest } from "./wire.ts";

const app = byId("app");
const room = app.dataset.room ?? "";
const roomUrl = `${app.dataset.base}/${room}`;

const settings = loadSettings({
  user: "",
  timer: Number(app.dataset.defaultTimer),
  breaktimer: Number(app.dataset.defaultBreak),
  sound: true,
  warn: false,
});
const history = new History();

/** The room's latest timer, or null when the room has none. */
let current: TimerEntry | null = null;
/** False until the room's first timer event: until then the page shows no state at all. */
let loaded = false;
let wasRunning = false;
let warnedOneMinute = false;
let loop: ReturnType<typeof setTimeout> | undefined;
let drawnMinute = -1;
const favicon = document.querySelector<HTMLLinkElement>("link[rel=icon]");

function announce(text: string): void {
  byId("announce").textContent = text;
}

function timeIsUp(timer: TimerEntry): void {
  const isBreak = timer.type === "BREAKTIMER";
  const message = isBreak ? "break is over" : `${timer.user ? `${timer.user}: ` : ""}time for mob next`;
  announce(isBreak ? "The break is over." : "Time is up.");
  if (settings.sound) chime();
  notify(message, `#${room}`, room);
}

function renderDone(timer: TimerEntry): void {
  const done = byId("done");
  if (timer.type === "BREAKTIMER") {
    done.replaceChildren("Back to work!");
    return;
  }
  done.replaceChildren(`${timer.user ? `${timer.user}: ` : ""}time for `, textElement("code", "", "mob next"));
  if (timer.nextUser) done.append(textElement("span", "done-next", ` · ${timer.nextUser} is next`));
}

function oneMinuteLeft(): void {
  warnedOneMinute = true;
  announce("One minute left.");
  if (settings.sound && settings.warn) beep();
}

/** Draws the timer; says how long until the shown state next changes. */
function renderTimer(now: number): number {
  const view = timerView(room, current, loaded, now);
  if (app.dataset.state !== view.state) {
    app.dataset.state = view.state;
    if (view.state === "done" && current) renderDone(current);
    byId("done").hidden = view.state !== "done";
  }
  app.dataset.kind = view.isBreak ? "break" : "work";
  if (view.lastMinute) app.dataset.lastMinute = "true";
  else delete app.dataset.lastMinute;
  setText("kind", view.kind);
  setText("countdown", view.countdown);
  setText("countdown-label", view.label);
  setText("who", view.who);
  setText("next", view.next);
  if (document.title !== view.title) document.title = view.title;
  if (favicon && view.state !== "loading") showFavicon(favicon, view);
  byId("progress").style.transform = `scaleX(${view.state === "running" ? 1 - view.remaining : view.state === "done" ? 1 : 0})`;
  const running = view.state === "running";
  if (running && view.lastMinute && !warnedOneMinute && current && current.timer > 1) oneMinuteLeft();
  if (wasRunning && !running && current) timeIsUp(current);
  wasRunning = running;
  if (running) return view.left % 1000 || 1000;
  if (view.state === "done") return 1000 - (view.overtime % 1000);
  return MINUTE_MS - (now % MINUTE_MS);
}

function renderHistory(now: number): void {
  drawnMinute = Math.floor(now / MINUTE_MS);
  renderHistoryList(byId("history-list"), history);
  renderTimeline(byId("timeline"), history, now);
  byId("history-empty").hidden = history.entries.length > 0;
}

/**
 * The page's one loop: it wakes when the shown second changes while a timer runs, and once
 * a minute otherwise (to expire history); every call replaces the pending wake-up.
 */
function tick(): void {
  const now = Date.now();
  // A page left open for days lets go of a timer that has left the day's history.
  if (current && Date.parse(current.requested) <= now - DAY_MS) forgetTimer();
  const wait = renderTimer(now);
  if (history.expire(now) || Math.floor(now / MINUTE_MS) !== drawnMinute) renderHistory(now);
  clearTimeout(loop);
  loop = setTimeout(tick, wait + 10);
}

function forgetTimer(): void {
  current = null;
  wasRunning = false;
}

function setTimer(timer: TimerRequest): void {
  const now = Date.now();
  loaded = true;
  if (isEmptyRequest(timer)) {
    forgetTimer();
    history.clear();
  } else if (isTimerEntry(timer)) {
    const isNew = JSON.stringify(current) !== JSON.stringify(timer);
    current = timer;
    history.add(timer, now);
    if (isNew) {
      wasRunning = false;
      warnedOneMinute = false;
      if (timer.timer > 0 && endOf(timer) > now) {
        const by = timer.user ? ` by ${timer.user}` : "";
        announce(`${kindName(timer.type)}, ${timer.timer} ${timer.timer === 1 ? "minute" : "minutes"}, started${by}.`);
      }
    }
  }
  renderHistory(now);
  tick();
}

function setGoal(goal: GoalRequest): void {
  const has = typeof goal.goal === "string";
  setText("goal-text", goal.goal ?? "No goal set.");
  byId("goal-text").classList.toggle("is-empty", !has);
  const when = goal.requested ? ` at ${clockTime(Date.parse(goal.requested))}` : "";
  setText("goal-by", has && goal.user ? `set by ${goal.user}${when}` : "");
  byId("goal-delete").hidden = !has;
}

function setConnected(connected: boolean): void {
  byId("connection-text").hidden = connected;
  app.classList.toggle("is-offline", !connected);
}

openStream(
  `${roomUrl}/events`,
  {
    INITIAL_HISTORY: (entries: unknown) => history.replace(entries, Date.now()),
    TIMER_REQUEST: setTimer,
    GOAL_REQUEST: setGoal,
    // Background tabs run timers late; the keep-alive, every 5 s, keeps the end on time.
    KEEP_ALIVE: tick,
  },
  setConnected,
);

window.addEventListener("resize", () => renderTimeline(byId("timeline"), history, Date.now()));

async function send(method: string, path: string, body: unknown): Promise<void> {
  try {
    const response = await fetch(`${roomUrl}${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const reason = await response.json().then(
        (answer: { error?: string }) => answer.error ?? response.statusText,
        () => response.statusText,
      );
      throw new Error(reason);
    }
    setText("problem", "");
  } catch (error) {
    setText("problem", `That did not work: ${(error as Error).message}`);
  }
}

function start(field: string, minutes: number): void {
  send("PUT", "", { [field]: minutes, user: settings.user });
}

byId("start-timer").addEventListener("click", () => start("timer", settings.timer));
byId("start-break").addEventListener("click", () => start("breaktimer", settings.breaktimer));
for (const button of document.querySelectorAll<HTMLButtonElement>("[data-start]")) {
  button.addEventListener("click", () => start(button.dataset.start ?? "timer", Number(button.dataset.minutes)));
}

byId("goal-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>("goal-input");
  const goal = input.value.trim();
  if (!goal) return;
  send("PUT", "/goal", { goal, user: settings.user });
  input.value = "";
});
byId("goal-delete").addEventListener("click", () => send("DELETE", "/goal", { user: settings.user }));

/** A shell word: plain names as they are, anything else in single quotes. */
function shellWord(text: string): string {
  return /^[\w.@+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function showSettings(): void {
  setText("default-timer-label", String(settings.timer));
  setText("default-break-label", String(settings.breaktimer));
  setText("env-user", `export MOB_TIMER_USER=${shellWord(settings.user || "your-name")}`);
}

const form = byId<HTMLFormElement>("settings");
const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
field("user").value = settings.user;
field("timer").value = String(settings.timer);
field("breaktimer").value = String(settings.breaktimer);
field("sound").checked = settings.sound;
field("warn").checked = settings.warn;
form.addEventListener("submit", (event) => event.preventDefault());
form.addEventListener("input", () => {
  settings.user = field("user").value;
  settings.timer = validMinutes(field("timer").value) ?? settings.timer;
  settings.breaktimer = validMinutes(field("breaktimer").value) ?? settings.breaktimer;
  settings.sound = field("sound").checked;
  settings.warn = field("warn").checked;
  saveSettings(settings);
  showSettings();
  showAlerts();
});
showSettings();

byId("test-sound").addEventListener("click", chime);
const showAlerts = setUpAlertControl(settings);

enableCopyButtons();
