// "Alert me only when it is my turn", for a viewer who gave their name: the choice, kept in
// this browser for this room (a person may follow one team's room closely and another's
// loosely); which alarms are theirs (time's up with them next, a timer started for them);
// and the line that says when their turn comes, by the roster's order and the running timer.
import { runsAt, type TimerRequest } from "../../lib/domain/changes.ts";
import { myTurn } from "../../lib/domain/my-turn.ts";
import type { Roster } from "../../lib/domain/settings.ts";
import { whoIsNext } from "../../lib/domain/team-view.ts";
import { byId, setText } from "./dom.ts";
import { MINUTE_MS } from "./format.ts";

const storageName = (room: string) => `mob-timer.my-turn.${room}`;

function stored(room: string): boolean {
  try {
    return localStorage.getItem(storageName(room)) === "on";
  } catch {
    return false;
  }
}

function store(room: string, on: boolean): void {
  try {
    if (on) localStorage.setItem(storageName(room), "on");
    else localStorage.removeItem(storageName(room));
  } catch {
    // Private windows may refuse storage; the choice then lasts for this visit.
  }
}

function aboutMinutes(ms: number): string {
  return `about ${Math.max(1, Math.round(ms / MINUTE_MS))} min`;
}

function othersText(count: number): string {
  return `${count} other ${count === 1 ? "turn" : "turns"}`;
}

export interface MyTurnParts {
  room: string;
  /** The viewer's name, as in the page's settings ("" for none). */
  user: () => string;
  roster: () => Roster | null;
  /** A turn's length when the room has no work timer to go by, in minutes. */
  turnMinutes: () => number;
  /** The choice or the name changed: what shows it is drawn again. */
  changed: () => void;
}

export function setUpMyTurn({ room, user, roster, turnMinutes, changed }: MyTurnParts) {
  const box = byId<HTMLInputElement>("my-turn-only");
  let chosen = stored(room);

  /** The viewer's name while the choice is on and they gave one; null otherwise. */
  const me = (): string | null => (chosen && user().trim() !== "" ? user() : null);

  function showChoice(): void {
    const named = user().trim() !== "";
    box.checked = chosen;
    box.disabled = !named;
    setText("my-turn-hint", named ? "" : "Give your name above to choose this.");
  }

  box.addEventListener("input", () => {
    chosen = box.checked;
    store(room, chosen);
    changed();
  });
  showChoice();

  /** Who takes the turn after `timer`, as the room's team panel says. */
  const nextAfter = (timer: TimerRequest) => whoIsNext(roster(), timer);

  /** The line about the viewer's turn at `now`; empty unless the choice is on. */
  function turnText(current: TimerRequest | null, now: number): string {
    const name = me();
    if (name === null) return "";
    const turnMs = (current?.type === "TIMER" && current.timer > 0 ? current.timer : turnMinutes()) * MINUTE_MS;
    const turn = myTurn(roster(), current ?? undefined, name, now, turnMs);
    if (turn === null) return "";
    if (turn.kind === "now") return "It is your turn.";
    const running = current !== null && runsAt(current, now);
    if (turn.turnsAhead === 0) return running ? `You are next, in ${aboutMinutes(turn.inMs)}.` : "You are next.";
    return running ? `Your turn in ${aboutMinutes(turn.inMs)}, after ${othersText(turn.turnsAhead)}.` : `Your turn comes after ${othersText(turn.turnsAhead)}.`;
  }

  return {
    me,
    /** The name or the choice may have changed. */
    refresh: showChoice,
    /**
     * Whether the page sounds and notifies as `timer` ends (and a minute before): always, or
     * with the choice on (and a name to go by) only when the viewer is next.
     */
    alertsAtEnd: (timer: TimerRequest): boolean => me() === null || nextAfter(timer) === me(),
    /** Whether a timer that starts is the viewer's own turn, to be told of with the choice on. */
    alertsAtStart: (timer: TimerRequest): boolean => me() !== null && timer.type === "TIMER" && timer.user === me(),
    show(current: TimerRequest | null, now: number): void {
      setText("my-turn", turnText(current, now));
    },
  };
}
