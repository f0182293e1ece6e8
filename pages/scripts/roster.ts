// The room page's team panel: the roster with who is on, who is next and who is here, its
// edits (add, remove, move, shuffle, away, roles, a name out of the statistics, the rule that
// passes over who is not here), the break and retro cadence, and the server's time's up. Every
// control is a real button or field with a name a screen reader says; after an edit the
// focus stays on the same control of the same member, wherever the list put them.
import { runsAt, type TimerRequest } from "../../lib/domain/changes.ts";
import type { Cadence, Member, Roster } from "../../lib/domain/settings.ts";
import { whoIsNext } from "../../lib/domain/team-view.ts";
import type { HereUpdate, TeamUpdate, TimeUpData, TimerRequestData } from "../../lib/live/wire.ts";
import { notify } from "./alarm.ts";
import { byId, setText, textElement } from "./dom.ts";
import { sendChange } from "./send.ts";
import { isTimerEntry } from "./wire.ts";

/**
 * Who is next, as the panel marks it. A roster that passes over who is not here leaves it to
 * the server, which knows who is here on every instance and who changed what within the
 * hour: the timer's `nextUser` says its verdict, unless that member went away since.
 */
function nextShown(roster: Roster, latest: TimerRequest | undefined): string | null {
  const decided = roster.skipAbsent && latest?.type === "TIMER" ? latest.nextUser : null;
  const member = decided === null ? undefined : roster.members.find((m) => m.name === decided);
  return member && !member.away ? member.name : whoIsNext(roster, latest);
}

/** "Suggests a break after 4 turns or 90 minutes of work. Suggests a retro after every 2 full rounds." */
function cadenceText(cadence: Cadence | null): string {
  if (!cadence) return "No break cadence set.";
  const parts = [cadence.turns !== null && `${cadence.turns} ${cadence.turns === 1 ? "turn" : "turns"}`, cadence.minutes !== null && `${cadence.minutes} minutes of work`].filter(Boolean);
  const sentences = parts.length > 0 ? [`Suggests a break after ${parts.join(" or ")}.`] : [];
  const rounds = cadence.retroRounds;
  if (rounds !== undefined) sentences.push(`Suggests a retro after every ${rounds === 1 ? "full round" : `${rounds} full rounds`}.`);
  return sentences.join(" ");
}

function timeUpText(up: TimeUpData, viewer: string): string {
  const parts = [up.entry.type === "BREAKTIMER" ? "The break is over." : `Time is up${up.entry.user ? ` for ${up.entry.user}` : ""}.`];
  if (up.next) parts.push(up.next === viewer ? "You are next." : `${up.next} is next.`);
  if (up.breakDue) parts.push("Time for a break: the team's cadence says so.");
  if (up.retroDue) parts.push("A full round is done: time for a short retro.");
  return parts.join(" ");
}

/**
 * `user` gives the viewer's name, sent with each edit and told apart when they are next;
 * `me`, the name that stands out in the roster (null: none does).
 */
export function setUpTeam(apiUrl: string, room: string, user: () => string, me: () => string | null) {
  let team: Omit<TeamUpdate, "cause"> = { roster: null, cadence: null };
  let latest: TimerRequest | undefined;
  /** Who is here: names with a live connection to the room (an opening tells nobody when nobody is). */
  let here = new Set<string>();

  const edit = (body: Record<string, unknown>) => sendChange("POST", `${apiUrl}/roster`, { ...body, user: user() }, "team-problem");

  function button(text: string, label: string, action: string, name: string, onClick: () => void): HTMLButtonElement {
    const element = textElement("button", "quiet", text);
    element.type = "button";
    element.setAttribute("aria-label", label);
    element.dataset.action = action;
    element.dataset.member = name;
    element.addEventListener("click", onClick);
    return element;
  }

  function memberItem(member: Member, index: number, count: number, on: string | null, next: string | null): HTMLLIElement {
    const { name } = member;
    const item = document.createElement("li");
    item.className = "member";
    const status = member.away ? "away" : name === on ? "on now" : name === next ? "next" : "";
    if (status) item.dataset.status = status;
    const nameOnly = textElement("span", "member-name", name);
    if (name === me()) {
      item.dataset.me = "true";
      nameOnly.append(textElement("span", "member-you", " (you)"));
    }
    // Here is marked beside the name, not in it: the name is what a screen reader and the tests read as the member.
    const who = document.createElement("span");
    who.append(nameOnly);
    if (here.has(name)) who.append(textElement("span", "member-here", "here"));
    const state = textElement("span", "member-status", status);
    const role = document.createElement("input");
    role.className = "member-role";
    role.maxLength = 40;
    role.value = member.role ?? "";
    role.placeholder = "role";
    role.setAttribute("aria-label", `Role of ${name}`);
    role.dataset.action = "role";
    role.dataset.member = name;
    role.addEventListener("change", () => void edit({ action: "role", name, role: role.value.trim() || null }));
    const actions = document.createElement("div");
    actions.className = "member-actions";
    const up = button("↑", `Move ${name} up`, "up", name, () => void edit({ action: "move", name, to: index - 1 }));
    up.disabled = index === 0;
    const down = button("↓", `Move ${name} down`, "down", name, () => void edit({ action: "move", name, to: index + 1 }));
    down.disabled = index === count - 1;
    const away = button(member.away ? "Back" : "Away", member.away ? `${name} is back` : `Mark ${name} away`, "away", name, () =>
      void edit({ action: member.away ? "back" : "away", name }),
    );
    // Names are their own: a member's turns may count as "someone" in the room's statistics.
    const shown = member.anonymous ? "Show name" : "Hide name";
    const named = button(shown, `${shown} of ${name} in the statistics`, "anonymous", name, () =>
      void edit({ action: member.anonymous ? "named" : "anonymous", name }),
    );
    const remove = button("Remove", `Remove ${name}`, "remove", name, () => void edit({ action: "remove", name }));
    actions.append(up, down, away, named, remove);
    item.append(who, state, role, actions);
    return item;
  }

  function render(): void {
    const list = byId<HTMLOListElement>("roster-list");
    const focused = document.activeElement instanceof HTMLElement && list.contains(document.activeElement) ? document.activeElement : null;
    const keep = focused && { action: focused.dataset.action, member: focused.dataset.member };
    const members = team.roster?.members ?? [];
    const on = latest && latest.type === "TIMER" && runsAt(latest, Date.now()) ? latest.user : null;
    const next = team.roster ? nextShown(team.roster, latest) : null;
    list.replaceChildren(...members.map((member, i) => memberItem(member, i, members.length, on, next)));
    list.hidden = members.length === 0;
    byId("roster-empty").hidden = team.roster !== null && members.length > 0;
    byId("roster-shuffle").hidden = members.length < 2;
    byId("roster-drop").hidden = team.roster === null;
    byId("roster-rule").hidden = team.roster === null;
    byId<HTMLInputElement>("skip-absent").checked = team.roster?.skipAbsent === true;
    const others = [...here].filter((name) => !members.some((member) => member.name === name));
    setText("here-others", others.length > 0 ? `Also here: ${others.join(", ")}` : "");
    byId("here-others").hidden = others.length === 0;
    setText("cadence-state", cadenceText(team.cadence));
    if (keep) {
      const again = [...list.querySelectorAll<HTMLElement>("[data-action]")].find((el) => el.dataset.action === keep.action && el.dataset.member === keep.member);
      // A button that became disabled (moved to the top) cannot hold the focus: its member's role field can.
      const target = again && !(again as HTMLButtonElement).disabled ? again : list.querySelector<HTMLElement>(`[data-action="role"][data-member="${CSS.escape(keep.member ?? "")}"]`);
      target?.focus();
    }
  }

  function showCadence(cadence: Cadence | null): void {
    byId<HTMLInputElement>("cadence-turns").value = cadence?.turns?.toString() ?? "";
    byId<HTMLInputElement>("cadence-minutes").value = cadence?.minutes?.toString() ?? "";
    byId<HTMLInputElement>("cadence-retro").value = cadence?.retroRounds?.toString() ?? "";
  }

  byId<HTMLFormElement>("roster-add").addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = byId<HTMLInputElement>("roster-name");
    const role = byId<HTMLInputElement>("roster-role");
    if (!name.value.trim()) return;
    if (await edit({ action: "add", name: name.value.trim(), role: role.value.trim() || null })) {
      name.value = "";
      role.value = "";
      name.focus();
    }
  });
  byId("roster-shuffle").addEventListener("click", () => void edit({ action: "shuffle" }));
  const skipAbsent = byId<HTMLInputElement>("skip-absent");
  skipAbsent.addEventListener("change", () => void edit({ action: "skip-absent", on: skipAbsent.checked }));
  byId("roster-drop").addEventListener("click", () => {
    byId("roster-name").focus();
    void sendChange("DELETE", `${apiUrl}/roster`, { user: user() }, "team-problem");
  });
  byId<HTMLFormElement>("cadence-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const part = (id: string) => (byId<HTMLInputElement>(id).value === "" ? null : Number(byId<HTMLInputElement>(id).value));
    void sendChange("PUT", `${apiUrl}/cadence`, { turns: part("cadence-turns"), minutes: part("cadence-minutes"), retroRounds: part("cadence-retro"), user: user() }, "team-problem");
  });

  return {
    roster: (): Roster | null => team.roster,
    /** The viewer's name or choices changed. */
    redraw: render,
    /** A new connection's opening: the team is told again after it, if the room has one. */
    reset(): void {
      team = { roster: null, cadence: null };
      here = new Set();
      showCadence(null);
      render();
    },
    TEAM_UPDATE(update: TeamUpdate): void {
      const cadenceChanged = JSON.stringify(update.cadence) !== JSON.stringify(team.cadence);
      team = { roster: update.roster, cadence: update.cadence };
      if (cadenceChanged) showCadence(team.cadence);
      render();
    },
    HERE_UPDATE(update: HereUpdate): void {
      here = new Set(update.here);
      render();
    },
    TIME_UP(up: TimeUpData): void {
      const text = timeUpText(up, user());
      setText("team-notice", text);
      // The viewer who is next hears it by name; the page's own time's up, tagged alike, gives way to it.
      if (up.next !== null && up.next === user()) notify("You are next", text, room);
      byId("team-notice").classList.toggle("break-due", up.breakDue);
      render();
    },
    /** The room's latest timer changed: who is on and next may have. */
    timer(request: TimerRequestData): void {
      const entry = isTimerEntry(request) ? request : undefined;
      if (entry?.requested !== latest?.requested) setText("team-notice", "");
      latest = entry;
      render();
    },
  };
}
