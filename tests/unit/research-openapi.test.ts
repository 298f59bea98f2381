/**
 * The export API's OpenAPI document against the code: every route handler under app/api/v1
 * (discovered from the files, as tests/e2e/authorization-matrix.spec.ts does) is described with
 * the same method, and every described operation has a handler. Paths are relative to the server
 * URL (…/api/v1); a folder [id] is the path parameter {id}.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/research/openapi";
import { FORMATS, TOKEN_SCOPES } from "@/lib/research/schemas";
import { HTTP_METHODS, routeHandlers, routeSegments } from "../support/route-handlers";

const ROOT = process.cwd();
const API_DIR = path.join(ROOT, "app", "api", "v1");
const SERVER = "https://discuss.example";

/** "app/api/v1/exports/[id]/download/route.ts" -> "/exports/{id}/download". */
function openApiPath(file: string): string {
  return (
    "/" +
    routeSegments(API_DIR, file)
      .map((s) => {
        if (s.startsWith("[...") || s.startsWith("[[...")) throw new Error(`catch-all route ${file}: not expressible as one OpenAPI path`);
        const param = /^\[(.+)\]$/.exec(s);
        return param ? `{${param[1]}}` : s;
      })
      .join("/")
  );
}

function discoverHandlers(): string[] {
  return routeHandlers(API_DIR)
    .flatMap(({ file, methods }) => methods.map((m) => `${m} ${openApiPath(file)}`))
    .sort();
}

type Operation = {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, { description?: string; $ref?: string }>;
  security?: unknown[];
  requestBody?: unknown;
};
type Doc = ReturnType<typeof openApiDocument>;

function operations(doc: Doc): [string, string, Operation][] {
  return Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => HTTP_METHODS.includes(m.toUpperCase()))
      .map(([m, op]) => [m.toUpperCase(), p, op] as [string, string, Operation]),
  );
}

/** Every {"$ref": "#/…"} in the document, as JSON pointers. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function resolve(doc: unknown, ref: string): unknown {
  expect(ref.startsWith("#/"), `${ref} is not a local reference`).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((n, key) => (n && typeof n === "object" ? (n as Record<string, unknown>)[key] : undefined), doc);
}

describe("OpenAPI document for /api/v1", () => {
  const doc = openApiDocument(SERVER);
  const json = JSON.parse(JSON.stringify(doc)) as Doc;

  it("is plain JSON (nothing lost in serialisation) and declares OpenAPI 3.1.0", () => {
    expect(json).toEqual(doc);
    expect(json.openapi).toBe("3.1.0");
    expect(json.info.title).toBeTruthy();
    expect(json.info.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("has the server URL …/api/v1 and paths relative to it", () => {
    expect(json.servers).toEqual([{ url: `${SERVER}/api/v1` }]);
    for (const p of Object.keys(json.paths)) {
      expect(p, p).toMatch(/^\//);
      expect(p, `${p} repeats the server's /api/v1`).not.toMatch(/^\/api\//);
      expect(p, `${p} uses a Next.js [param]`).not.toMatch(/\[|\]/);
    }
  });

  it("describes every route handler under app/api/v1, and has a handler for every operation", () => {
    const handlers = discoverHandlers();
    expect(handlers.length, "no route handlers found: is the test running from the project root?").toBeGreaterThan(0);
    const described = operations(json)
      .map(([m, p]) => `${m} ${p}`)
      .sort();
    expect(described).toEqual(handlers);
  });

  it("declares each path parameter exactly where the path has it", () => {
    for (const [m, p, op] of operations(json)) {
      const inPath = [...p.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]!).sort();
      const declared = (op.parameters ?? []).filter((x) => x.in === "path");
      expect(declared.map((x) => x.name).sort(), `${m} ${p}`).toEqual(inPath);
      for (const d of declared) expect(d.required, `${m} ${p} {${d.name}}`).toBe(true);
    }
  });

  it("gives every operation a unique operationId and responses with descriptions", () => {
    const ids = operations(json).map(([, , op]) => op.operationId);
    for (const id of ids) expect(id).toBeTruthy();
    expect(new Set(ids).size).toBe(ids.length);
    for (const [m, p, op] of operations(json)) {
      const responses = Object.entries(op.responses ?? {});
      expect(responses.length, `${m} ${p}`).toBeGreaterThan(0);
      expect(responses.some(([code]) => /^2\d\d$/.test(code)), `${m} ${p} has no success response`).toBe(true);
      for (const [code, r] of responses) {
        expect(code, `${m} ${p}`).toMatch(/^[1-5](\d\d|XX)$|^default$/);
        const res = (r.$ref ? resolve(json, r.$ref) : r) as { description?: string };
        expect(res.description, `${m} ${p} ${code}`).toBeTruthy();
      }
    }
  });

  it("documents the errors the request parsing gives: 400, 413 and 422 for a JSON body, 422 for query parameters", () => {
    // lib/http/parse.ts: parseJson answers 413 for a body over its size limit, 400 for one that
    // is not JSON and 422 for bad fields; parseParams (and decodeCursor) 422 for bad query values. Every handler also checks
    // the caller first (401/403), except the public document itself.
    for (const [m, p, op] of operations(json)) {
      const codes = Object.keys(op.responses ?? {});
      if (op.requestBody) expect(codes, `${m} ${p}`).toEqual(expect.arrayContaining(["400", "413", "422"]));
      if ((op.parameters ?? []).some((x) => x.in === "query")) expect(codes, `${m} ${p}`).toContain("422");
      if (p !== "/openapi.json") expect(codes, `${m} ${p}`).toEqual(expect.arrayContaining(["401", "403"]));
      if (p.includes("{id}")) expect(codes, `${m} ${p}`).toContain("404");
    }
  });

  it("resolves every $ref", () => {
    const all = refs(json);
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all) expect(resolve(json, ref), ref).toBeDefined();
  });

  it("names only defined security schemes", () => {
    const schemes = Object.keys(json.components.securitySchemes);
    const used = [json.security, ...operations(json).map(([, , op]) => op.security ?? [])].flat() as Record<string, unknown>[];
    for (const requirement of used) for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
    expect(json.components.securitySchemes.bearerToken.description).toContain(TOKEN_SCOPES.join(", "));
  });

  it("offers the same formats as the request schema", () => {
    expect(json.components.schemas.NewExport.properties.format.enum).toEqual([...FORMATS]);
  });
});
