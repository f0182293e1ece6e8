// GET /api/openapi.json against the server: every route of the table is documented, every
// documented operation is in the table, and each one, sent its example request, answers
// with a status and a media type the document names.
import { expect, test } from "bun:test";
import { routes, type Handlers } from "../lib/http/routes.ts";
import { inProcess, type InProcessApp } from "./helpers.ts";

interface Operation {
  parameters?: { name: string; in: string; example?: string }[];
  requestBody?: { content: Record<string, { example: unknown }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** The route table as `METHOD /path/{param}`, from the table itself (handlers are not called). */
function tableRoutes(): string[] {
  const anything = new Proxy({}, { get: () => new Proxy({}, { get: () => () => new Response() }) }) as Handlers;
  return routes(anything).map((r) => `${r.method} ${r.pattern.replace(/:(\w+)/g, "{$1}")}`);
}

async function document(s: InProcessApp): Promise<Document> {
  const res = await s.fetch("/api/openapi.json");
  expect(res.status).toBe(200);
  return res.json();
}

function documented(doc: Document): string[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
}

test("the document is OpenAPI 3.1 and names exactly the routes of the table", async () => {
  await using s = await inProcess();
  const doc = await document(s);
  expect(doc.openapi).toStartWith("3.1");
  expect(documented(doc).sort()).toEqual(tableRoutes().sort());
});

test("every documented operation, sent its example, answers as the document says", async () => {
  await using s = await inProcess();
  const doc = await document(s);
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      let path = template;
      for (const p of operation.parameters ?? []) if (p.in === "path") path = path.replace(`{${p.name}}`, p.example!);
      const [type, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      const body = media === undefined ? undefined : typeof media.example === "string" ? media.example : JSON.stringify(media.example);
      const controller = new AbortController();
      const res = await s.fetch(path, {
        method: method.toUpperCase(),
        body,
        headers: type ? { "Content-Type": type } : {},
        redirect: "manual",
        signal: controller.signal,
      });
      const name = `${method.toUpperCase()} ${template}`;
      const answer = operation.responses[String(res.status)];
      expect(answer, `${name} answered ${res.status}, not among ${Object.keys(operation.responses)}`).toBeDefined();
      const contentType = res.headers.get("content-type")?.split(";")[0] ?? null;
      if (answer!.content) expect(Object.keys(answer!.content), `${name} ${res.status} answered ${contentType}`).toContain(contentType!);
      else expect(await res.text(), `${name} ${res.status} has no body`).toBe("");
      controller.abort();
    }
  }
});
