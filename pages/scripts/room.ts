// The room page: follows the room's event stream, counts down on the viewer's clock, and
// sends the team's requests.
import { endOf, runsAt, type GoalState, type TimerRequest } from "../../lib/domain/changes.ts";
import type { TimerRequestData } from "../../lib/live/wire.ts";
import { beep, chime, notify } from "./alarm.ts";
import { setUpAlertControl } from "./alert-control.ts";
import { enableCopyButtons } from "./copy.ts";
import { byId, setText, textElement } from "./dom.ts";
import { DAY_MS, MINUTE_MS, clockTime, kindName } from "./format.ts";
import { showFavicon } from "./favicon.ts";
import { setUpHooks } from "./hooks.ts";
import { HISTORY_SHOWN, History, renderHistoryList, renderTimeline } from "./history.ts";
import { loadSettings, saveSettings, validMinutes } from "./settings.ts";
import { setUpFocusView } from "./focus-view.ts";
import { setUpMyTurn } from "./my-turn-view.ts";
import { setUpOwnTarget } from "./own-target.ts";
import { askNameOnce } from "./name-prompt.ts";
import { followRoom, setUpOwner } from "./owner.ts";
import { rememberRoom } from "./recent-rooms.ts";
import { setUpRotation } from "./rotation.ts";
import { setUpTeam } from "./roster.ts";
import { sendChange } from "./send.ts";
import { offerUndo, setUpUndo } from "./undo.ts";
import { timerView } from "./timer-view.ts";
import { isEmptyRequest, isTimerEntry } from "./wire.ts";

const app = byId("app");
const room = app.dataset.room ?? "";
const roomUrl = `${app.dataset.base}/${room}`;
rememberRoom(room);

const settings = loadSettings({
  user: "",
  timer: Number(app.dataset.defaultTimer),
  breaktimer: Number(app.dataset.defaultBreak),
  sound: true,
  warn: false,
  askedName: false,
});
const history = new History();

/** The room's latest timer, or null when the room has none. */
let current: TimerRequest | null = null;
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

function timeIsUp(timer: TimerRequest): void {
  const isBreak = timer.type === "BREAKTIMER";
  announce(isBreak ? "The break is over." : "Time is up.");
  if (!myTurn.alertsAtEnd(timer)) return;
  const message = myTurn.me() !== null ? "You are next" : isBreak ? "break is over" : `${timer.user ? `${timer.user}: ` : ""}time for mob next`;
  if (settings.sound) chime();
  notify(message, `#${room}`, room);
}

/** A timer started for the viewer, who chose to hear only of their own turns. */
function yourTurn(timer: TimerRequest): void {
  if (settings.sound) chime();
  notify("Your turn", `${timer.timer} min · #${room}`, room);
}

/** "next: dana (you)", standing out, when the viewer who chose so is next. */
function showNext(next: string): void {
  const mine = next !== "" && current?.nextUser != null && current.nextUser === myTurn.me();
  setText("next", mine ? `${next} (you)` : next);
  byId("next").classList.toggle("is-me", mine);
}

function renderDone(timer: TimerRequest): void {
  const done = byId("done");
  if (timer.type === "BREAKTIMER") {
    done.replaceChildren("Back to work!");
    return;
  }
  done.replaceChildren(`${timer.user ? `${timer.user}: ` : ""}time for `, textElement("code", "", "mob next"));
  if (!timer.nextUser) return;
  const mine = timer.nextUser === myTurn.me();
  const next = textElement("span", mine ? "done-next is-me" : "done-next", ` · ${timer.nextUser}${mine ? " (you)" : ""} is next`);
  done.append(next);
}

function oneMinuteLeft(): void {
  warnedOneMinute = true;
  announce("One minute left.");
  if (settings.sound && settings.warn && current && myTurn.alertsAtEnd(current)) beep();
}

/** Draws the timer; says how long until the shown state next changes. */
function renderTimer(now: number): number {
  const view = timerView(room, current, loaded, now);
  if (app.dataset.state !== view.state) {
    app.dataset.state = view.state;
    if (view.state === "done" && current) renderDone(current);
    byId("done").hidden = view.state !== "done";
    byId("stop").hidden = view.state !== "running";
  }
  app.dataset.kind = view.isBreak ? "break" : "work";
  if (view.lastMinute) app.dataset.lastMinute = "true";
  else delete app.dataset.lastMinute;
  setText("kind", view.kind);
  setText("countdown", view.countdown);
  setText("countdown-label", view.label);
  setText("who", view.who);
  showNext(view.next);
  myTurn.show(current, now);
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

let showAllHistory = false;

function renderHistory(now: number): void {
  drawnMinute = Math.floor(now / MINUTE_MS);
  renderHistoryList(byId("history-list"), history, now, showAllHistory);
  renderTimeline(byId("timeline"), history, now);
  byId("history-empty").hidden = history.entries.length > 0;
  const more = byId("history-more");
  more.hidden = history.entries.length <= HISTORY_SHOWN;
  more.setAttribute("aria-expanded", String(showAllHistory));
  setText("history-more", showAllHistory ? "Show the latest only" : `Show all ${history.entries.length}`);
}

byId("history-more").addEventListener("click", () => {
  showAllHistory = !showAllHistory;
  renderHistory(Date.now());
});

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

function setTimer(timer: TimerRequestData): void {
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
      if (runsAt(timer, now)) {
        const by = timer.user ? ` by ${timer.user}` : "";
        announce(`${kindName(timer.type)}, ${timer.timer} ${timer.timer === 1 ? "minute" : "minutes"}, started${by}.`);
        if (myTurn.alertsAtStart(timer)) yourTurn(timer);
      }
    }
  }
  renderHistory(now);
  tick();
}

let currentGoal: GoalState | null = null;

function setGoal(goal: GoalState): void {
  currentGoal = goal;
  const has = typeof goal.goal === "string";
  setText("goal-text", goal.goal ?? "No goal set.");
  byId("goal-text").classList.toggle("is-empty", !has);
  const when = goal.requested ? ` at ${clockTime(Date.parse(goal.requested))}` : "";
  setText("goal-by", has && goal.user ? `set by ${goal.user}${when}` : "");
  byId("goal-delete").hidden = !has;
  showGoalWhole(false);
}

/** The goal clamped to a few lines, or whole; the button shows only for a goal that is cut. */
function showGoalWhole(whole: boolean): void {
  const text = byId("goal-text");
  const more = byId("goal-more");
  text.classList.toggle("is-open", whole);
  more.setAttribute("aria-expanded", String(whole));
  setText("goal-more", whole ? "Show less" : "Show the whole goal");
  more.hidden = !whole && text.scrollHeight <= text.clientHeight + 1;
}

byId("goal-more").addEventListener("click", () => showGoalWhole(!byId("goal-text").classList.contains("is-open")));

/** The buttons that change the room: they wait, disabled, while the server is out of reach. */
const controls = [...document.querySelectorAll<HTMLButtonElement>(".start button, .goal-form button, #goal-delete, #stop")];

function setConnected(connected: boolean): void {
  byId("connection-text").hidden = connected;
  byId("offline-note").hidden = connected;
  app.classList.toggle("is-offline", !connected);
  for (const button of controls) button.disabled = !connected;
  // A click that failed while the connection was down is no news once it is back.
  if (connected) setText("problem", "");
}

/** Updates by long-poll work as well, only a little later: said quietly, once, beside the room's name. */
function setPolling(polling: boolean): void {
  byId("polling-note").hidden = !polling;
}

const apiUrl = `${app.dataset.base}/api/rooms/${room}`;
const myTurn = setUpMyTurn({
  room,
  user: () => settings.user,
  roster: () => team.roster(),
  turnMinutes: () => settings.timer,
  changed: viewerChanged,
});
const team = setUpTeam(apiUrl, room, () => settings.user, myTurn.me);
const rotation = setUpRotation(apiUrl);
setUpOwnTarget(apiUrl, () => settings.user);

/** The viewer's name or their choice of alerts changed: what marks them is drawn again. */
function viewerChanged(): void {
  myTurn.refresh();
  team.redraw();
  if (app.dataset.state === "done" && current) renderDone(current);
  tick();
}

const hooks = setUpHooks(app.dataset.base ?? "", room);

setUpOwner();
/** The viewer's name on the room's connections: a team's room counts them among who is here. */
const named = () => (settings.user.trim() ? `?user=${encodeURIComponent(settings.user.trim())}` : "");
let followedAs = named();
const followAgain = followRoom(
  () => `${roomUrl}/events${named()}`,
  () => `${apiUrl}${named()}`,
  {
    INITIAL_HISTORY: (entries: unknown) => {
      history.replace(entries, Date.now());
      team.reset();
    },
    TIMER_REQUEST: (timer: TimerRequestData) => {
      setTimer(timer);
      team.timer(timer);
    },
    GOAL_REQUEST: setGoal,
    TEAM_UPDATE: (update) => {
      team.TEAM_UPDATE(update);
      rotation.team();
      tick();
    },
    HERE_UPDATE: team.HERE_UPDATE,
    TIME_UP: (up) => {
      team.TIME_UP(up);
      rotation.turnEnded();
    },
    // Background tabs run timers late; the keep-alive, every 5 s, keeps the end on time.
    KEEP_ALIVE: tick,
    HOOKS_UPDATE: hooks.update,
  },
  { connected: setConnected, polling: setPolling },
);

window.addEventListener("resize", () => {
  renderTimeline(byId("timeline"), history, Date.now());
  showGoalWhole(byId("goal-text").classList.contains("is-open"));
});

/** Sends a change to the room; says whether the server took it. */
function send(method: string, path: string, body: unknown): Promise<boolean> {
  return sendChange(method, `${roomUrl}${path}`, body, "problem");
}

type StartField = "timer" | "breaktimer";

function putTimer(field: StartField, minutes: number, user: string): Promise<boolean> {
  return send("PUT", "", { [field]: minutes, user });
}

/** "alice's 10-minute timer", "a 5-minute break". */
function timerName(timer: TimerRequest): string {
  const owner = timer.user ? `${timer.user}'s` : "the";
  return `${owner} ${timer.timer}-minute ${timer.type === "BREAKTIMER" ? "break" : "timer"}`;
}

/** Starts a timer (or stops one, with 0 minutes); a running timer it replaces can come back. */
async function start(field: StartField, minutes: number): Promise<void> {
  if (!(await askNameOnce(settings, nameChosen))) return;
  const now = Date.now();
  const replaced = current && timerView(room, current, loaded, now).state === "running" ? current : null;
  if (!(await putTimer(field, minutes, settings.user)) || !replaced) return;
  const verb = minutes === 0 ? "Stopped" : "Replaced";
  offerUndo(`${verb} ${timerName(replaced)}.`, () => {
    const left = Math.max(1, Math.round((endOf(replaced) - Date.now()) / MINUTE_MS));
    putTimer(replaced.type === "BREAKTIMER" ? "breaktimer" : "timer", left, replaced.user ?? "");
  });
}

setUpUndo();
byId("start-timer").addEventListener("click", () => start("timer", settings.timer));
byId("start-break").addEventListener("click", () => start("breaktimer", settings.breaktimer));
for (const button of document.querySelectorAll<HTMLButtonElement>("[data-start]")) {
  const field = button.dataset.start === "breaktimer" ? "breaktimer" : "timer";
  button.addEventListener("click", () => start(field, Number(button.dataset.minutes)));
}
// A 0-minute timer, as the original page and the mob tool record a stop.
byId("stop").addEventListener("click", () => start("timer", 0));

byId("goal-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>("goal-input");
  const goal = input.value.trim();
  if (!goal || !(await askNameOnce(settings, nameChosen))) return;
  if (await send("PUT", "/goal", { goal, user: settings.user })) input.value = "";
});
byId("goal-delete").addEventListener("click", async () => {
  const deleted = currentGoal;
  // The button disappears with the goal: focus goes where a new goal is written.
  byId("goal-input").focus();
  if (!(await send("DELETE", "/goal", { user: settings.user })) || !deleted?.goal) return;
  const { goal, user } = deleted;
  offerUndo("Goal deleted.", () => send("PUT", "/goal", { goal, user: user ?? "" }));
});

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
// Once the name is typed (the field left, or Enter), not at every key.
field("user").addEventListener("change", nameSettled);
form.addEventListener("input", () => {
  settings.user = field("user").value;
  settings.timer = validMinutes(field("timer").value) ?? settings.timer;
  settings.breaktimer = validMinutes(field("breaktimer").value) ?? settings.breaktimer;
  settings.sound = field("sound").checked;
  settings.warn = field("warn").checked;
  saveSettings(settings);
  showSettings();
  showAlerts();
  viewerChanged();
});
showSettings();

function nameChosen(): void {
  field("user").value = settings.user;
  showSettings();
  viewerChanged();
  nameSettled();
}

/** A name given or changed goes on the room's connection at once, not at the next reconnect. */
function nameSettled(): void {
  if (named() === followedAs) return;
  followedAs = named();
  followAgain();
}

byId("test-sound").addEventListener("click", chime);
const showAlerts = setUpAlertControl(settings);

enableCopyButtons();
setUpFocusView(app);
