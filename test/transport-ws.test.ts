// The transport contract (test/transport-contract.ts) over the room's WebSocket, which
// resumes with ?since=.
import { expect } from "bun:test";
import { eventFollower, transportContract } from "./transport-contract.ts";
import { Client, wsUrl } from "./ws-client.ts";

transportContract("the WebSocket", {
  async follow(s, room, since, user) {
    const query = new URLSearchParams();
    if (since !== undefined) query.set("since", String(since));
    if (user !== undefined) query.set("user", user);
    const client = await Client.open(wsUrl(s, `/${room}/ws${query.size === 0 ? "" : `?${query}`}`));
    return eventFollower(
      async () => {
        const message = await client.next(undefined, 3000);
        expect(Object.keys(message).sort()).toEqual(message.id === undefined ? ["data", "event"] : ["data", "event", "id"]);
        if (message.event === "KEEP_ALIVE") expect(message).toEqual({ event: "KEEP_ALIVE", data: null });
        return { event: message.event!, id: message.id ?? null, data: message.data };
      },
      () => client[Symbol.asyncDispose](),
    );
  },
  refusal: (s, room, query) =>
    fetch(`${s.url}/${room}/ws?${query}`, { headers: { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" } }),
});
