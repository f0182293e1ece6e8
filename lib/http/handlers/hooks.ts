// A room's webhooks over the JSON API: list them (secrets masked; in a claimed room, without
// where they go and why they failed unless the request has the key), add one, remove one,
// resume a paused one, and send one a test. Changes go through the core like any other, so
// every instance and the room's page learn of them.
import { isoTime, type Clock } from "../../base/clock.ts";
import type { Config } from "../../config.ts";
import { addHook, hookView, hooksOf, hooksShown, removeHook, resumeHook } from "../../domain/hooks.ts";
import { ownerOf } from "../../domain/owner.ts";
import type { Hook, Target } from "../../domain/settings.ts";
import type { Decide, Rooms } from "../../domain/rooms.ts";
import { testNotice } from "../../hooks/notices.ts";
import type { HookSender } from "../../hooks/sender.ts";
import { newSecret } from "../../hooks/signing.ts";
import { targetProblem, targetRules, type Resolve, type TargetRules } from "../../hooks/targets.ts";
import { readBody } from "../body.ts";
import { HTTP_ERRORS } from "../errors.ts";
import { parseNewHook, type NewHook } from "../hook-requests.ts";
import { json } from "../responses.ts";
import type { RoomAccess } from "../room-access.ts";
import type { RequestContext } from "../router.ts";
import { roomName } from "./rooms.ts";

export interface HookHandlerParts {
  config: Config;
  clock: Clock;
  rooms: Rooms;
  sender: HookSender;
  resolve?: Resolve;
  /** Whose request carried the room's key: a claimed room's hooks show whole only to them. */
  access: Pick<RoomAccess, "grantOf">;
}

const noSuchHook = HTTP_ERRORS.noSuchHook.with();

/** Hook ids are short random hex; anything else names no hook. */
const HOOK_ID = /^[0-9a-f]{12}$/;

function newId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 12);
}

/**
 * A fresh target where `wanted` says (a hook's, or a member's own), once its address is
 * allowed: a new id, no failures, and for json a secret made unless one was given.
 */
export async function freshTarget(wanted: Omit<NewHook, "events">, rules: TargetRules, resolve?: Resolve): Promise<Target> {
  const problem = await targetProblem(wanted.url, rules, resolve);
  if (problem) throw HTTP_ERRORS.hookTarget.with({ problem });
  const secret = wanted.format === "json" ? (wanted.secret ?? newSecret()) : null;
  return { id: newId(), format: wanted.format, url: wanted.url.href, secret, paused: false, failures: 0, lastError: null };
}

export function hookHandlers({ config, clock, rooms, sender, resolve, access }: HookHandlerParts) {
  const rules = targetRules(config);
  const name = (ctx: RequestContext) => roomName(ctx, config.maxRoomNameLength);

  async function hooksOfRoom(room: string): Promise<Hook[]> {
    return hooksOf((await rooms.load(room)).settings);
  }

  const listed = (hooks: Hook[]) => json({ hooks: hooks.map(hookView) });

  /** The hook named in the path, as the room has it now; 404 when it has none such. */
  async function pathHook(ctx: RequestContext): Promise<{ room: string; hook: Hook }> {
    const room = name(ctx);
    const id = ctx.params.id!;
    const hook = HOOK_ID.test(id) ? (await hooksOfRoom(room)).find((h) => h.id === id) : undefined;
    if (!hook) throw noSuchHook;
    return { room, hook };
  }

  /** Commits `decide` for the hook in the path and answers with the room's hooks after it. */
  async function changeHook(ctx: RequestContext, decide: (id: string) => Decide): Promise<Response> {
    const { room, hook } = await pathHook(ctx);
    await rooms.commitDecided(room, decide(hook.id), ctx.visitor);
    return listed(await hooksOfRoom(room));
  }

  async function add(ctx: RequestContext): Promise<Response> {
    const room = name(ctx);
    const wanted = parseNewHook(await readBody(ctx.req, config.maxBodyBytes));
    const { id, format, url, secret, paused, failures, lastError } = await freshTarget(wanted, rules, resolve);
    // In the order hooks are stored and decoded.
    const hook: Hook = { id, format, url, secret, events: wanted.events, paused, failures, lastError };
    await rooms.commitDecided(room, addHook(hook, config.webhooksPerRoom), ctx.visitor);
    // The one time the secret is shown whole: the receiver needs it to check signatures.
    return json({ hook: hookView(hook), secret }, 201);
  }

  async function sendTest(ctx: RequestContext): Promise<Response> {
    const { room, hook } = await pathHook(ctx);
    const outcome = await sender.send(room, hook, testNotice(room, isoTime(clock.now())));
    return json(outcome.ok ? { delivered: true, status: outcome.status } : { delivered: false, error: outcome.error });
  }

  return {
    list: async (ctx: RequestContext) => {
      const { settings } = await rooms.load(name(ctx));
      const member = ownerOf(settings) === null || access.grantOf(ctx.req) !== null;
      return json({ hooks: hooksShown(settings, member) });
    },
    add,
    remove: (ctx: RequestContext) => changeHook(ctx, removeHook),
    resume: (ctx: RequestContext) => changeHook(ctx, resumeHook),
    sendTest,
  };
}
