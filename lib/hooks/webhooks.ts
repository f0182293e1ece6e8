// Rooms' changes to their hooks: each change this process stored (RoomObserver.committed,
// so with several instances each change goes out once) is queued for every hook of the
// room that wants it, and a member's own word (their turn, they are next) to their own
// target; what comes of a delivery goes back into the room's settings, where a hook or a
// target that keeps failing is paused for every instance and page to see.
import type { Clock } from "../base/clock.ts";
import { isoTime } from "../base/clock.ts";
import type { Config } from "../config.ts";
import type { RoomEvent } from "../domain/changes.ts";
import { hookDelivered, hookFailed, hooksOf } from "../domain/hooks.ts";
import { targetDelivered, targetFailed, targetsOf } from "../domain/personal-targets.ts";
import type { Rooms } from "../domain/rooms.ts";
import type { RoomSettings } from "../domain/settings.ts";
import type { Logger } from "../base/log.ts";
import { noticeOf, personalNoticeOf } from "./notices.ts";
import { HookSender, type Delivery, type Outcome } from "./sender.ts";
import { targetRules, type Resolve } from "./targets.ts";

export interface WebhookParts {
  config: Config;
  clock: Clock;
  rooms: Rooms;
  logger: Logger;
  resolve?: Resolve;
}

export interface Webhooks {
  sender: HookSender;
  /** Stops listening and drops deliveries not yet made. */
  stop(): void;
}

export function startWebhooks({ config, clock, rooms, logger, resolve }: WebhookParts): Webhooks {
  /** Writes what came of a delivery into the room; a failure to store it is only logged. */
  function settled({ room, hook }: Delivery, outcome: Outcome): void {
    // A hook with no failures counted needs no change after a delivery that arrived.
    if (outcome.ok && hook.failures === 0) return;
    // A member's own target names its member; a room's hook names none.
    const [delivered, failed] = "member" in hook ? [targetDelivered, targetFailed] : [hookDelivered, hookFailed];
    const decide = outcome.ok ? delivered(hook.id) : failed(hook.id, outcome.error, config.webhookPauseAfter);
    Promise.resolve()
      .then(() => rooms.commitDecided(room, decide))
      .catch((error) => logger.log("error", "webhook outcome not stored", { room, hook: hook.id, error: String(error) }));
  }

  const sender = new HookSender({
    policy: {
      timeoutMs: config.webhookTimeoutMs,
      attempts: config.webhookAttempts,
      backoffMs: config.webhookBackoffMs,
      perRoomPerMinute: config.webhooksPerRoomPerMinute,
      queue: config.webhookQueue,
    },
    rules: targetRules(config),
    clock,
    logger,
    roomUrl: (room) => (config.publicUrl ? `${config.publicUrl}/${room}` : null),
    settled,
    resolve,
  });

  /** Queues the change for each hook of the room that wants it, and its word for a member to their own target. */
  function send(event: RoomEvent, settings: RoomSettings | null): void {
    const time = isoTime(clock.now());
    const hooks = hooksOf(settings).filter((hook) => !hook.paused);
    const notice = hooks.length > 0 ? noticeOf(event, time) : null;
    if (notice) for (const hook of hooks) if (hook.events.some((wanted) => wanted === notice.event)) sender.enqueue({ room: event.room, hook, notice });
    const targets = targetsOf(settings);
    const word = targets.length > 0 ? personalNoticeOf(event, time) : null;
    const target = word && targets.find((t) => t.member === word.member && !t.paused);
    if (target) sender.enqueue({ room: event.room, hook: target, notice: word.notice });
  }

  function committed(event: RoomEvent): void {
    if (event.change.kind === "settings") return send(event, event.change.settings);
    // The room is in memory while its change is under way, except with a store that answers
    // at once (the memory store), whose read costs next to nothing.
    const held = rooms.find(event.room);
    if (held) return send(event, held.settings);
    Promise.resolve()
      .then(() => rooms.load(event.room))
      .then(
        (room) => send(event, room.settings),
        (error) => logger.log("error", "webhooks not sent: the room could not be read", { room: event.room, error: String(error) }),
      );
  }

  const unobserve = rooms.observe({ committed });
  return {
    sender,
    stop() {
      unobserve();
      sender.close();
    },
  };
}
