// The error catalog is the one place refusals are declared: no other file of lib/ builds an
// HttpError or a DomainError, a code always means the same status, and the API's document
// lists every entry.
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { join } from "node:path";
import { DOMAIN_ERRORS } from "../lib/domain/errors.ts";
import { errorCatalog, fromDomain, HTTP_ERRORS } from "../lib/http/errors.ts";
import { openApi } from "../lib/http/openapi.ts";

const LIB = join(import.meta.dir, "..", "lib");

/** Files of lib/ that contain `text`, relative to lib/. */
async function filesWith(text: RegExp): Promise<string[]> {
  const found: string[] = [];
  for await (const file of new Glob("**/*.ts").scan({ cwd: LIB })) if (text.test(await Bun.file(join(LIB, file)).text())) found.push(file);
  return found.sort();
}

test("only the catalogs build errors: every refusal of lib/ is one of their entries", async () => {
  expect(await filesWith(/new HttpError\(/)).toEqual(["http/errors.ts"]);
  expect(await filesWith(/new DomainError\(/)).toEqual(["domain/errors.ts"]);
});

/** A room name that cannot be is a 400 to the API, and a page that is not there (404) to a browser. */
const STATUS_BY_KIND = new Set(["bad_room_name"]);

test("a code always answers with the same status", () => {
  const statusOf = new Map<string, number>();
  for (const { code, status } of errorCatalog()) {
    if (!STATUS_BY_KIND.has(code)) expect(`${code} ${status}`).toBe(`${code} ${statusOf.get(code) ?? status}`);
    statusOf.set(code, status);
  }
  expect(statusOf.size).toBeGreaterThan(20);
});

test("no catalog declares a refusal twice", () => {
  for (const catalog of [HTTP_ERRORS, DOMAIN_ERRORS]) {
    const refusals = Object.values(catalog).map(({ code, message }) => `${code}: ${message}`);
    expect(refusals.length).toBe(new Set(refusals).size);
  }
});

test("an entry fills the values its message and headers name", () => {
  const refused = HTTP_ERRORS.methodNotAllowed.with({ method: "PATCH", allow: "GET, PUT" });
  expect([refused.status, refused.code, refused.message, refused.headers]).toEqual([405, "method_not_allowed", "PATCH is not allowed here; use GET, PUT", { Allow: "GET, PUT" }]);
  const full = fromDomain(DOMAIN_ERRORS.roomsFull.with({ max: 3 }), "api");
  expect([full.status, full.code, full.message, full.headers]).toEqual([429, "rooms_full", "the server holds its maximum of 3 rooms; try again later", { "Retry-After": "60" }]);
  const slow = fromDomain(DOMAIN_ERRORS.roomsPerClient.with({ perHour: 30 }, { retryAfter: 2 }), "api");
  expect(slow.headers).toEqual({ "Retry-After": "2" });
});

test("the API's document lists every entry of the catalog with its status and message", () => {
  const schema = openApi("http://localhost").components.schemas.Error as Record<string, unknown>;
  expect(schema["x-error-codes"]).toEqual(errorCatalog());
  expect(errorCatalog()).toContainEqual({ code: "room_key_tries", status: 429, message: "too many room keys tried for {who}; try again later" });
  expect(errorCatalog()).toContainEqual({ code: "storage_unavailable", status: 503, message: "The change could not be stored and was not made; try again." });
});
