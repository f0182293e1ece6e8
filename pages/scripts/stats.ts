// The statistics page: the listeners and running timers, live.
import { followCounts } from "./live-counts.ts";

followCounts();
