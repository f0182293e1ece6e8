// The Host header is checked (issue 10, item 11): a DNS-rebinding page reaches the server
// under the attacker's name, and pages must never show a forged host.
import { expect, test } from "bun:test";
import { connect } from "node:net";
import { hostname } from "node:os";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { hostName } from "../lib/http/hosts.ts";
import { startServer } from "./helpers.ts";

const put = (url: string, host: string) => fetch(`${url}/r`, { method: "PUT", headers: { Host: host }, body: '{"timer":5}' });

test("with PUBLIC_URL, another host is refused with 421 and changes nothing; its own name and loopback pass", async () => {
  await using s = await startServer({ publicUrl: "https://timer.example.org" });
  const refused = await put(s.url, "attacker.example");
  expect(refused.status).toBe(421);
  expect((await refused.json()).error).toContain("does not answer to that host name");
  expect((await s.app.rooms.count())).toBe(0);
  expect((await put(s.url, "timer.example.org")).status).toBe(202);
  expect((await put(s.url, "TIMER.example.org.:443")).status).toBe(202);
  expect((await put(s.url, `localhost:${s.server.port}`)).status).toBe(202);
  expect((await put(s.url, `127.0.0.1:${s.server.port}`)).status).toBe(202);
  expect((await put(s.url, hostname())).status).toBe(421);
});

test("without PUBLIC_URL, a forged host gets a page that does not show it; allowed names are shown", async () => {
  await using s = await startServer();
  for (const path of ["/help", "/our-room", "/"]) {
    const refused = await fetch(`${s.url}${path}`, { headers: { Host: "evil.example:8080", Accept: "text/html" } });
    expect(refused.status).toBe(421);
    expect(refused.headers.get("content-type")).toStartWith("text/html");
    expect(await refused.text()).not.toContain("evil.example");
  }
  const local = await fetch(`${s.url}/help`, { headers: { Host: `localhost:${s.server.port}` } });
  expect(await local.text()).toContain(`MOB_TIMER_URL=http://localhost:${s.server.port}/`);
  const byName = await fetch(`${s.url}/help`, { headers: { Host: `${hostname()}:${s.server.port}` } });
  expect(byName.status).toBe(200);
});

test("ALLOWED_HOSTS adds names, and * accepts any", async () => {
  {
    await using s = await startServer({ allowedHosts: "timer.lan, other.lan" });
    const page = await fetch(`${s.url}/help`, { headers: { Host: "timer.lan:8080" } });
    expect(await page.text()).toContain("MOB_TIMER_URL=http://timer.lan:8080/");
    expect((await put(s.url, "other.lan")).status).toBe(202);
    expect((await put(s.url, "third.lan")).status).toBe(421);
  }
  await using open = await startServer({ allowedHosts: "*" });
  expect((await put(open.url, "anything.example")).status).toBe(202);
});

test("behind a trusted proxy, X-Forwarded-Host passes the same check", async () => {
  await using s = await startServer({ trustProxy: true, allowedHosts: "timer.example.org" });
  const forwarded = (host: string) =>
    fetch(`${s.url}/help`, { headers: { "X-Forwarded-Proto": "https", "X-Forwarded-Host": host } });
  const refused = await forwarded("evil.example");
  expect(refused.status).toBe(421);
  expect(await refused.text()).not.toContain("evil.example");
  expect(await (await forwarded("timer.example.org")).text()).toContain("MOB_TIMER_URL=https://timer.example.org/");
});

test("refused hosts are counted in the metrics", async () => {
  await using s = await startServer();
  await put(s.url, "evil.example");
  await put(s.url, "evil.example");
  expect(await (await fetch(`${s.url}/api/metrics`)).text()).toContain('mobtimer_rejected_requests_total{limit="host"} 2');
});

test("a request with two Host headers gets 400", async () => {
  await using s = await startServer({ allowedHosts: "*" });
  const answer = await new Promise<string>((resolve) => {
    const socket = connect(s.server.port!, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk) => (text += chunk));
    socket.on("end", () => resolve(text));
    socket.on("close", () => resolve(text));
    socket.write("GET /r/goal HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
  });
  expect(answer).toStartWith("HTTP/1.1 400");
  expect(answer).toContain('{"error":"the request has more than one Host header"}');
});

test("host names are compared without port, brackets, trailing dot or case", () => {
  expect(hostName("Timer.Example.org.:8080")).toBe("timer.example.org");
  expect(hostName("[::1]:8080")).toBe("::1");
  expect(hostName("::1")).toBe("::1");
  expect(hostName("127.0.0.1")).toBe("127.0.0.1");
});

test("ALLOWED_HOSTS must be host names separated by commas", () => {
  expect(() => loadConfig({ ALLOWED_HOSTS: "timer.lan/path" }, [])).toThrow(ConfigError);
  expect(loadConfig({ ALLOWED_HOSTS: "timer.lan, [::1], *" }, [])).toMatchObject({ config: { allowedHosts: "timer.lan, [::1], *" } });
});
