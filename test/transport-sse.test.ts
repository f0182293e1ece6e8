// The transport contract (test/transport-contract.ts) over the room's event stream. The
// stream has no resume: a client coming back gets the whole opening state again.
import { expect } from "bun:test";
import { EventReader } from "./helpers.ts";
import { eventFollower, transportContract } from "./transport-contract.ts";

transportContract("the event stream", {
  async follow(s, room, _since, user) {
    const events = await EventReader.open(`${s.url}/${room}/events${user === undefined ? "" : `?user=${encodeURIComponent(user)}`}`);
    expect(events.response.headers.get("content-type")).toBe("text/event-stream");
    return eventFollower(
      async () => {
        const { event, id, data } = await events.next();
        return { event, id: id === undefined ? null : Number(id), data: JSON.parse(data) };
      },
      () => events[Symbol.asyncDispose](),
    );
  },
  refusal: (s, room, query) => fetch(`${s.url}/${room}/events?${query}`),
});
