// The start page: live counts.
import { followCounts } from "./live-counts.ts";

followCounts();
