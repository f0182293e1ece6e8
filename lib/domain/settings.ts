// What a room keeps beyond PROTOCOL.md, for what a team opts into: one typed value per
// feature (its roster, its cadence, its time's up, its hooks, its owner), and the decoders
// that make such values out of what was read back (a store's JSON, an import). A value is
// decoded and checked here once; everything past this edge reads the fields as they are.
// Malformed features are dropped, never cast through: a room then behaves as one that never
// opted into them.

export interface Member {
  name: string;
  /** Skipped when the turn passes, until back. */
  away: boolean;
  /** A name the team gives the member's part (typist, navigator, ...); null for none. */
  role: string | null;
  /**
   * The member's name is taken out of the room's statistics: their turns count as "someone".
   * Only there when true, so that a roster that never used it keeps its JSON.
   */
  anonymous?: true;
}

/** The team in the order turns pass. */
export interface Roster {
  members: Member[];
  /**
   * The opt-in rule "pass over who is not here": a member with no live connection who made
   * no change for an hour is passed over like one marked away. Absent when off, so that a
   * roster without it reads as it always did.
   */
  skipAbsent?: true;
}

/**
 * "Suggest a break after `turns` turns or `minutes` minutes of work", and "suggest a retro
 * after every `retroRounds` full rounds"; null turns that part off.
 */
export interface Cadence {
  turns: number | null;
  minutes: number | null;
  /** Only there when set, so that a cadence without retros keeps its JSON. */
  retroRounds?: number;
}

/** The timer or break whose end has been announced, by its `requested`. */
export interface TimeUp {
  requested: string;
}

export const HOOK_FORMATS = ["json", "slack", "mattermost", "teams", "ntfy"] as const;
export type HookFormat = (typeof HOOK_FORMATS)[number];

/** What a hook may be told of; a hook names the ones it wants. */
export const HOOK_EVENTS = ["timer-started", "break-started", "time-up", "goal-set", "goal-deleted", "roster-changed"] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Where word goes and how its deliveries went: what a room's hook and a member's own target share. */
export interface Target {
  id: string;
  format: HookFormat;
  url: string;
  /** The signing key of a `json` hook; null for the other formats. Never shown back in full. */
  secret: string | null;
  /** Set after `failures` deliveries in a row gave up; nothing is sent until resumed. */
  paused: boolean;
  /** Deliveries in a row that gave up; a delivery that arrives starts the count again. */
  failures: number;
  /** Why the last delivery gave up, for the team to see; null after one arrives. */
  lastError: string | null;
}

export interface Hook extends Target {
  events: HookEvent[];
}

/** The room's hooks, in the order they were added. */
export interface HooksSettings {
  list: Hook[];
}

/** What a member's own target is told of, for them only. */
export const PERSONAL_EVENTS = ["you-are-next", "your-turn"] as const;
export type PersonalEvent = (typeof PERSONAL_EVENTS)[number];

/** A roster member's own target (their ntfy topic, any webhook): told when they are next and when their turn starts. */
export interface PersonalTarget extends Target {
  member: string;
}

/** The members' own targets, one at most per member. */
export interface PersonalTargets {
  list: PersonalTarget[];
}

/** The room's key, as its slow hash, and who may read the room. */
export interface RoomOwner {
  hash: string;
  /** Reading needs the key too: the page's state, the event stream, the JSON API, the WebSocket. */
  private: boolean;
  /** When the room was claimed, ISO. */
  claimed: string;
}

/**
 * One value per room, stored whole with every change to it. A room that never opted in has
 * none, and behaves exactly as PROTOCOL.md says; settings left empty are none.
 */
export interface RoomSettings {
  roster?: Roster;
  cadence?: Cadence;
  timeUp?: TimeUp;
  hooks?: HooksSettings;
  targets?: PersonalTargets;
  owner?: RoomOwner;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === "string";
const isTextOrNull = (value: unknown): value is string | null => value === null || typeof value === "string";
const isWholeOrNull = (value: unknown): value is number | null => value === null || Number.isInteger(value);

/** Whether `value` is one of the names `allowed` (a hook's formats, its events). */
export function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value);
}

function listOf<T>(value: unknown, decode: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list: T[] = [];
  for (const item of value) {
    const decoded = decode(item);
    if (decoded === undefined) return undefined;
    list.push(decoded);
  }
  return list;
}

function decodeMember(value: unknown): Member | undefined {
  if (!isFields(value) || !isText(value.name) || typeof value.away !== "boolean" || !isTextOrNull(value.role)) return undefined;
  const anonymous = value.anonymous ?? false;
  if (typeof anonymous !== "boolean") return undefined;
  return { name: value.name, away: value.away, role: value.role, ...(anonymous && { anonymous }) };
}

export function decodeRoster(value: unknown): Roster | undefined {
  if (!isFields(value)) return undefined;
  const members = listOf(value.members, decodeMember);
  if (!members) return undefined;
  return value.skipAbsent === true ? { members, skipAbsent: true } : { members };
}

export function decodeCadence(value: unknown): Cadence | undefined {
  if (!isFields(value) || !isWholeOrNull(value.turns) || !isWholeOrNull(value.minutes)) return undefined;
  const retroRounds = value.retroRounds ?? null;
  if (!isWholeOrNull(retroRounds)) return undefined;
  return { turns: value.turns, minutes: value.minutes, ...(retroRounds !== null && { retroRounds }) };
}

export function decodeTimeUp(value: unknown): TimeUp | undefined {
  return isFields(value) && isText(value.requested) ? { requested: value.requested } : undefined;
}

/** Whether `fields` hold a target's fields, as a hook and a member's own target share them. */
function isTarget(fields: Fields): fields is Fields & Target {
  const { id, format, url, secret, paused, failures, lastError } = fields;
  if (!isText(id) || !isOneOf(format, HOOK_FORMATS) || !isText(url) || !isTextOrNull(secret)) return false;
  return typeof paused === "boolean" && Number.isInteger(failures) && isTextOrNull(lastError);
}

function decodeHook(value: unknown): Hook | undefined {
  if (!isFields(value) || !isTarget(value)) return undefined;
  const { id, format, url, secret, paused, failures, lastError } = value;
  const events = listOf(value.events, (event) => (isOneOf(event, HOOK_EVENTS) ? event : undefined));
  return events && { id, format, url, secret, events, paused, failures, lastError };
}

export function decodeHooks(value: unknown): HooksSettings | undefined {
  const list = isFields(value) ? listOf(value.list, decodeHook) : undefined;
  return list && { list };
}

function decodePersonalTarget(value: unknown): PersonalTarget | undefined {
  if (!isFields(value) || !isTarget(value) || !isText(value.member)) return undefined;
  const { member, id, format, url, secret, paused, failures, lastError } = value;
  return { member, id, format, url, secret, paused, failures, lastError };
}

export function decodePersonalTargets(value: unknown): PersonalTargets | undefined {
  const list = isFields(value) ? listOf(value.list, decodePersonalTarget) : undefined;
  return list && { list };
}

export function decodeOwner(value: unknown): RoomOwner | undefined {
  if (!isFields(value) || !isText(value.hash) || typeof value.private !== "boolean" || !isText(value.claimed)) return undefined;
  return { hash: value.hash, private: value.private, claimed: value.claimed };
}

type Feature = keyof RoomSettings;

/** One decoder per feature: the type checker makes sure every field of RoomSettings has one. */
const DECODERS: { [K in Feature]: (value: unknown) => RoomSettings[K] } = {
  roster: decodeRoster,
  cadence: decodeCadence,
  timeUp: decodeTimeUp,
  hooks: decodeHooks,
  targets: decodePersonalTargets,
  owner: decodeOwner,
};

function isFeature(name: string): name is keyof RoomSettings {
  return Object.hasOwn(DECODERS, name);
}

function put<K extends keyof RoomSettings>(settings: RoomSettings, feature: K, value: unknown): void {
  const decoded = DECODERS[feature](value);
  if (decoded !== undefined) settings[feature] = decoded;
}

/**
 * Settings read back from where they were kept: each feature's value as its decoder makes
 * it, a malformed one (or a field no feature knows) left out; null when nothing is left.
 * The fields keep their order, so that what is written back is the same JSON.
 */
export function decodeSettings(value: unknown): RoomSettings | null {
  if (!isFields(value)) return null;
  const settings: RoomSettings = {};
  for (const [name, field] of Object.entries(value)) if (isFeature(name)) put(settings, name, field);
  return Object.keys(settings).length === 0 ? null : settings;
}

/** Features to change: a value replaces the feature's, null removes it, a feature not named is kept. */
export type SettingsChanges = { [K in keyof RoomSettings]?: RoomSettings[K] | null };

function change<K extends keyof RoomSettings>(settings: RoomSettings, changes: SettingsChanges, feature: K): void {
  const value: RoomSettings[K] | null | undefined = changes[feature];
  if (value === null) delete settings[feature];
  else if (value !== undefined) settings[feature] = value;
}

/** The room's settings with `changes` made, every other feature's kept; null when nothing is left. */
export function withFeatures(settings: RoomSettings | null, changes: SettingsChanges): RoomSettings | null {
  const next: RoomSettings = { ...settings };
  for (const name of Object.keys(changes)) if (isFeature(name)) change(next, changes, name);
  return Object.keys(next).length === 0 ? null : next;
}
