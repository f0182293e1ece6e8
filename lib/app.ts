// The composition root: builds the core, the fan-out, the HTTP layer and the jobs from the
// configuration and a store, and owns the one path that stops them all.
import { systemClock, type Clock } from "./base/clock.ts";
import type { Config } from "./config.ts";
import { randomInt, type RandomInt } from "./domain/names.ts";
import type { RoomChange } from "./domain/changes.ts";
import { Rooms } from "./domain/rooms.ts";
import { basicAuth } from "./http/auth.ts";
import { hostCheck } from "./http/hosts.ts";
import { checkOrigin } from "./http/origin.ts";
import { RefusalLog } from "./http/refusal-log.ts";
import { RoomAccess } from "./http/room-access.ts";
import { bunHashing, RoomKeys, type KeyHashing } from "./http/room-keys.ts";
import { Budgets } from "./http/visitor.ts";
import type { WebSocketHandler } from "bun";
import { apiHandlers } from "./http/handlers/api.ts";
import { countsHandler, currentCounts } from "./http/handlers/counts.ts";
import { hookHandlers } from "./http/handlers/hooks.ts";
import { targetHandlers } from "./http/handlers/targets.ts";
import { operatorHandlers } from "./http/handlers/operator.ts";
import { ownerHandlers } from "./http/handlers/owners.ts";
import { pageHandlers } from "./http/handlers/pages.ts";
import { roomHandlers } from "./http/handlers/rooms.ts";
import { rotationPanelHandler } from "./http/handlers/rotation-panel.ts";
import { socketHandlers } from "./http/handlers/sockets.ts";
import { teamHandlers } from "./http/handlers/team.ts";
import { Metrics } from "./http/metrics.ts";
import { createPipeline, type Fetch } from "./http/pipeline.ts";
import { Router } from "./http/router.ts";
import { routes } from "./http/routes.ts";
import { startWebhooks } from "./hooks/webhooks.ts";
import type { Resolve } from "./hooks/targets.ts";
import { countsJob, ServiceCounts } from "./jobs/counts.ts";
import { KEEP_ALIVE_GROUPS, keepAliveJob } from "./jobs/keep-alive.ts";
import { presenceJob } from "./jobs/presence.ts";
import { rosterJoinJob } from "./jobs/roster-join.ts";
import { sweepJob } from "./jobs/sweep.ts";
import { timeUpJob } from "./jobs/time-up.ts";
import { Fanout } from "./live/fanout.ts";
import { WaitWheel } from "./live/longpoll.ts";
import { SocketRooms, type SocketData } from "./live/ws.ts";
import { SseChannel, SseCounters } from "./live/sse.ts";
import { silentLogger, type Logger } from "./base/log.ts";
import { MemoryStore } from "./store/memory.ts";
import { StoreUnavailable, type Store } from "./store/store.ts";

export interface AppOptions {
  clock?: Clock;
  store?: Store;
  logger?: Logger;
  random?: RandomInt;
  /** How room keys are hashed; Bun.password unless a test needs it to fail or count. */
  hashing?: KeyHashing;
  /** How webhook targets' host names are resolved (tests give names their own addresses). */
  resolve?: Resolve;
}

export interface App {
  /** Answers a request; without `server` (in-process, in tests) everything but streams behaves the same. */
  fetch: Fetch;
  /** Bun.serve's `websocket` option: the room sockets that `fetch` upgrades. */
  websocket: WebSocketHandler<SocketData>;
  /**
   * Stops every job and ends every stream, telling listeners to come back after a second
   * (to this server restarted, or another); the store is closed too.
   */
  close(): Promise<void>;
  readonly rooms: Rooms;
  readonly fanout: Fanout;
  readonly indexStreams: SseChannel;
  readonly sockets: SocketRooms;
  readonly waits: WaitWheel;
}

/** Storage metrics keep the operation names operators' dashboards already use. */
const STORAGE_OPERATION: Record<RoomChange["kind"], string> = {
  timer: "saveTimer",
  break: "saveTimer",
  "goal-set": "saveGoal",
  "goal-deleted": "saveGoal",
  "history-expired": "expire",
  settings: "saveSettings",
};

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = options.store ?? new MemoryStore(clock, config.maxHistory, config.roomStatsDays);
  const metrics = new Metrics();

  const rooms = new Rooms(config, clock, store, (kind, seconds) => metrics.observeStorage(STORAGE_OPERATION[kind], seconds));
  try {
    await rooms.restore();
    // History that expired while the server was down goes before anyone asks for it.
    await rooms.sweep();
  } catch (error) {
    // A shared store down at start has said so; the core catches up when it is back (Rooms.resync).
    if (!(error instanceof StoreUnavailable)) throw error;
  }
  /** Until the start's look at timers that ended while the server was down is done (see timeUpJob). */
  let starting = true;
  const fanout = new Fanout(rooms, KEEP_ALIVE_GROUPS);
  const counts = new ServiceCounts(() => ({ listeners: fanout.size, running: rooms.runningCount() }), store, clock, config.countsMs);
  // The first page and stream show the whole service's counts, when Redis answers.
  await counts.refresh();
  const indexStreams = new SseChannel();
  const roomSse = new SseCounters();
  const indexSse = new SseCounters();

  const refusals = new RefusalLog(logger);
  const authenticate = config.authUser || config.authPassword ? basicAuth(config.authUser, config.authPassword) : null;
  const budgets = new Budgets(config, store, authenticate);
  const sockets = new SocketRooms();
  const waits = new WaitWheel();
  const webhooks = startWebhooks({ config, clock, rooms, logger, resolve: options.resolve });
  const keys = new RoomKeys(options.hashing ?? bunHashing, budgets.keyTriesPerRoom);
  const access = new RoomAccess({ rooms, keys, fanout, clock, maxRoomNameLength: config.maxRoomNameLength, serverAuth: authenticate !== null, checkOrigin: (req) => checkOrigin(req, config) });
  const socketing = socketHandlers({ config, clock, rooms, fanout, sockets, logger, access });
  const random = options.random ?? randomInt;
  const presence = presenceJob(rooms, fanout, store, clock, logger, config.hereMs);
  const pages = pageHandlers({ config, clock, rooms, counts, random });
  const router = new Router(
    routes({
      pages,
      rooms: roomHandlers({ config, rooms, fanout, sse: roomSse, logger }),
      operator: operatorHandlers({ clock, store, rooms, fanout, counts, channel: indexStreams, sse: roomSse, metrics, logger, starting: () => starting }),
      indexEvents: countsHandler({ counts, channel: indexStreams, sse: indexSse }),
      api: apiHandlers({ config, clock, rooms, fanout, waits, here: presence }),
      hooks: hookHandlers({ config, clock, rooms, sender: webhooks.sender, resolve: options.resolve, access }),
      sockets: socketing,
      team: teamHandlers({ config, clock, rooms, random, here: presence }),
      targets: targetHandlers({ config, rooms, resolve: options.resolve, access }),
      owners: ownerHandlers({ config, rooms, keys }),
      rotationPanel: rotationPanelHandler({ config, rooms }),
      access,
    }),
  );
  const fetch = createPipeline({
    basePath: config.basePath,
    trustProxy: config.trustProxy,
    clock,
    router,
    metrics,
    logger,
    budgets,
    checkHost: hostCheck(config),
    refusals,
    errorResponse: pages.errorResponse,
  });

  const timeUp = timeUpJob(rooms, store, clock, logger, config.timeUpMs);
  void timeUp.lookedBack.then(() => (starting = false));
  const stopJobs = [
    keepAliveJob(fanout, config.keepAliveMs),
    webhooks.stop,
    sweepJob(rooms, [budgets, webhooks.sender, { prune: (now: number) => refusals.flush(now) }], clock, logger, config.sweepMs),
    countsJob(indexStreams, counts, () => currentCounts(counts), config.countsMs),
    timeUp.stop,
    rosterJoinJob(rooms, logger),
    presence.stop,
  ];

  return {
    fetch,
    websocket: socketing.websocket,
    rooms,
    fanout,
    indexStreams,
    sockets,
    waits,
    async close() {
      for (const stop of stopJobs) stop();
      waits.close();
      access.close();
      fanout.closeAll();
      indexStreams.closeAll();
      rooms.close();
      await store.close();
    },
  };
}
