// Roster members' own targets over the JSON API: list them (masked; in a claimed room, only
// who has one unless the request has the key), set one (a new one, or the same again to
// resume it after it was paused), remove one. The address is checked as a hook's is; the
// change goes through the core like a roster edit, so every instance knows the target.
import { ownerOf } from "../../domain/owner.ts";
import { removeTarget, setTarget, targetsOf, targetsShown } from "../../domain/personal-targets.ts";
import { maskedTarget } from "../../domain/hooks.ts";
import type { PersonalTarget } from "../../domain/settings.ts";
import { targetRules } from "../../hooks/targets.ts";
import { readBody } from "../body.ts";
import { parseNewTarget, parseTargetMember } from "../hook-requests.ts";
import { json } from "../responses.ts";
import type { RequestContext } from "../router.ts";
import { freshTarget, type HookHandlerParts } from "./hooks.ts";
import { roomName } from "./rooms.ts";

export function targetHandlers({ config, rooms, resolve, access }: Omit<HookHandlerParts, "sender" | "clock">) {
  const rules = targetRules(config);
  const name = (ctx: RequestContext) => roomName(ctx, config.maxRoomNameLength);

  async function list(ctx: RequestContext): Promise<Response> {
    const { settings } = await rooms.load(name(ctx));
    const member = ownerOf(settings) === null || access.grantOf(ctx.req) !== null;
    return json({ targets: targetsShown(settings, member) });
  }

  async function set(ctx: RequestContext): Promise<Response> {
    const room = name(ctx);
    const wanted = parseNewTarget(await readBody(ctx.req, config.maxBodyBytes));
    const target: PersonalTarget = { member: wanted.member, ...(await freshTarget(wanted, rules, resolve)) };
    await rooms.commitDecided(room, setTarget(target), ctx.visitor);
    // The one time the secret is shown whole, as for a hook.
    return json({ target: maskedTarget(target), secret: target.secret });
  }

  async function remove(ctx: RequestContext): Promise<Response> {
    const room = name(ctx);
    const member = parseTargetMember(await readBody(ctx.req, config.maxBodyBytes));
    await rooms.commitDecided(room, removeTarget(member), ctx.visitor);
    return json({ targets: targetsOf((await rooms.load(room)).settings).map(maskedTarget) });
  }

  return { list, set, remove };
}
