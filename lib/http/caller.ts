// Who is asking: the client's address, resolved once per request and only when a limit or
// a log line needs it (finding it costs about a microsecond).
import type { AppServer } from "../live/ws.ts";
import { clientAddress } from "./client.ts";

/** Requests handed to the app directly (tests, in-process callers) have no connection. */
const IN_PROCESS = "in-process";

export class Caller {
  private resolved: string | undefined;

  constructor(
    private readonly req: Request,
    private readonly server: AppServer | undefined,
    private readonly trustProxy: boolean,
  ) {}

  get address(): string {
    this.resolved ??= this.server ? clientAddress(this.req, this.server, this.trustProxy) : IN_PROCESS;
    return this.resolved;
  }
}
