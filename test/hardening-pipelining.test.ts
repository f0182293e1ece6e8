// Pipelined requests (issue 10, item 12). Checked on Bun 1.4.5: Bun.serve closes a connection,
// without answering, when a request arrives in the same read as an earlier one whose handler
// is still waiting on a macrotask (setImmediate, a timer, I/O, a Worker's reply). A handler
// that answers at once or after microtasks only is fine. This is uWS's rule, on purpose ("we
// still support sync pipelining"). No JavaScript can answer such a connection: it is closed
// before the first answer is ready, so neither an error nor `Connection: close` reaches the
// client. What the server can do is answer every request it can without a macrotask; only
// a change that must wait for storage, and health with a store to check, cannot.
import { expect, test } from "bun:test";
import { connect } from "node:net";
import { systemClock } from "../lib/base/clock.ts";
import { SqliteStore } from "../lib/store/sqlite.ts";
import { eventually, startServer, tempDirs } from "./helpers.ts";

const tempDir = tempDirs("pipelining");

/** Writes `requests` in one go on a fresh connection; resolves with the status lines received. */
function pipelined(port: number, requests: string[]): Promise<{ statuses: string[]; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const done = (closedByServer: boolean) => {
      socket.destroy();
      resolve({ statuses: text.match(/HTTP\/1\.1 \d{3}/g) ?? [], closedByServer });
    };
    socket.on("data", (chunk) => {
      text += chunk;
      if ((text.match(/HTTP\/1\.1 \d{3}/g) ?? []).length === requests.length) setTimeout(() => done(false), 50);
    });
    socket.on("close", () => done(true));
    socket.write(requests.join(""));
    setTimeout(() => done(false), 1500);
  });
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const put = (path: string, body: string) => `PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

test("Bun 1.4.5 answers pipelined requests whose handlers finish within microtasks", async () => {
  for (const wait of [async () => {}, () => Promise.resolve()]) {
    using server = Bun.serve({ port: 0, hostname: "127.0.0.1", development: false, fetch: async () => (await wait(), new Response("ok")) });
    const { statuses, closedByServer } = await pipelined(server.port!, [get("/a"), get("/b"), get("/c")]);
    expect(statuses).toEqual(["HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 200"]);
    expect(closedByServer).toBe(false);
  }
});

test("Bun 1.4.5 closes a pipelining connection unanswered when a handler awaits a macrotask, and aborts its request", async () => {
  const aborted: boolean[] = [];
  using server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    development: false,
    async fetch(req) {
      await req.text();
      await new Promise((resolve) => setImmediate(resolve));
      aborted.push(req.signal.aborted);
      return new Response("ok");
    },
  });
  // If this starts failing, Bun has changed: check whether the server's writes now answer pipelining.
  expect(await pipelined(server.port!, [put("/a", "{}"), put("/b", "{}")])).toEqual({ statuses: [], closedByServer: true });
  // The first handler ran on and can tell that nobody will get its answer.
  expect(aborted).toEqual([true]);
  // One request alone, or pipelined after one answered at once, is fine.
  expect((await pipelined(server.port!, [get("/a")])).statuses).toEqual(["HTTP/1.1 200"]);
});

test("clients that hang up while their change waits for its commit leave every later change answered", async () => {
  // With SQLite a change's 202 waits for the worker's commit, a macrotask; a client that
  // closes its connection meanwhile once left Bun holding a used answer that later changes
  // shared, and every change after it was answered 500 until a restart.
  await using s = await startServer({}, { store: await SqliteStore.open(tempDir(), systemClock) });
  const body = '{"timer":10,"user":"alice"}';
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve) => {
      const socket = connect(s.server.port!, "127.0.0.1", () => {
        socket.write(put("/hung-up", body));
        socket.destroy();
        resolve();
      });
    });
  }
  // Every change was read whole before its client left, so each is committed and answered (to nobody).
  await eventually(async () => (await (await fetch(`${s.url}/api/rooms/hung-up`)).json()).seq === 5);
  for (const room of ["hung-up", "another-room"]) {
    const response = await fetch(`${s.url}/${room}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body });
    expect(response.status).toBe(202);
  }
  expect((await (await fetch(`${s.url}/api/rooms/hung-up`)).json()).seq).toBe(6);
});

test("the server answers pipelined reads, pages, assets and (in memory) changes on one connection", async () => {
  await using s = await startServer();
  const port = s.server.port!;
  const page = await (await fetch(`${s.url}/our-room`)).text();
  const asset = /src="(\/assets\/[^"]+)"/.exec(page)![1]!;
  const requests = [
    put("/our-room", '{"timer":5,"user":"alice"}'),
    get("/our-room/goal"),
    put("/our-room/goal", '{"goal":"ship it"}'),
    get("/our-room/goal"),
    get("/"),
    get("/help"),
    get("/our-room"),
    get(asset),
    get("/api/metrics"),
    get("/api/health"),
  ];
  const { statuses, closedByServer } = await pipelined(port, requests);
  expect(closedByServer).toBe(false);
  expect(statuses).toEqual(["202", "204", "202", "200", "200", "200", "200", "200", "200", "200"].map((code) => `HTTP/1.1 ${code}`));
});
