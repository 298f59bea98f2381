import { MAX_ACTIVE_PER_USER } from "./jobs";
import { FORMATS, TOKEN_SCOPES } from "./schemas";
import { KINDS, STATUSES } from "./tables";

/**
 * The export API's OpenAPI 3.1 description, served at /api/v1/openapi.json. A test checks that
 * every /api/v1 route handler is described here and every described path exists.
 */

const error = { $ref: "#/components/responses/Error" };
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const read = [{ bearerToken: [] }, { session: [] }];

export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Annotated discussion: research export API",
      version: "1.0.0",
      description:
        "Study-ready exports of the platform's contributions: pseudonymous, documented, checksummed bundles (zip) in CSV, JSONL or W3C Web Annotation JSON-LD. " +
        "Authenticate with a bearer token made on /research/tokens (scope `export` to create exports, `export:read` to list and download). " +
        `Exports run as jobs: POST /exports answers 202 with the job; poll GET /exports/{id} until status is SUCCEEDED, then GET /exports/{id}/download. At most ${MAX_ACTIVE_PER_USER} of a person's exports run at a time (429 otherwise).`,
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: read,
    paths: {
      "/studies": {
        get: {
          summary: "List your studies",
          operationId: "listStudies",
          responses: { "200": { description: "Studies", content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: { $ref: "#/components/schemas/Study" } } } } } } }, "401": error, "403": error },
        },
        post: {
          summary: "Create a study (its pseudonym key is made on the server and never shown)",
          operationId: "createStudy",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewStudy" } } } },
          responses: { "201": { description: "Created", content: { "application/json": { schema: { type: "object", properties: { study: { $ref: "#/components/schemas/Study" } } } } } }, "400": error, "401": error, "403": error, "409": error, "413": error, "422": error },
        },
      },
      "/exports": {
        get: {
          summary: "List your exports, newest first",
          operationId: "listExports",
          parameters: [
            { name: "cursor", in: "query", schema: { type: "string" } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          ],
          responses: {
            "200": {
              description: "A page of exports",
              content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: { $ref: "#/components/schemas/Export" } }, nextCursor: { type: ["string", "null"] } } } } },
            },
            "401": error,
            "403": error,
            "422": error,
          },
        },
        post: {
          summary: "Start an export (needs scope export)",
          operationId: "createExport",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewExport" } } } },
          responses: {
            "202": { description: "Queued", headers: { Location: { schema: { type: "string" } } }, content: { "application/json": { schema: { type: "object", properties: { export: { $ref: "#/components/schemas/Export" } } } } } },
            "400": error,
            "401": error,
            "403": error,
            "404": error,
            "413": error,
            "422": error,
            "429": error,
          },
        },
      },
      "/exports/{id}": {
        get: {
          summary: "An export's status and progress",
          operationId: "getExport",
          parameters: [idParam],
          responses: { "200": { description: "The export", content: { "application/json": { schema: { type: "object", properties: { export: { $ref: "#/components/schemas/Export" } } } } } }, "401": error, "403": error, "404": error },
        },
      },
      "/exports/{id}/manifest": {
        get: {
          summary: "A finished export's manifest.json",
          operationId: "getExportManifest",
          parameters: [idParam],
          responses: { "200": { description: "The manifest", content: { "application/json": { schema: { type: "object" } } } }, "401": error, "403": error, "404": error, "409": error },
        },
      },
      "/exports/{id}/download": {
        get: {
          summary: "Download the bundle (zip); the same bytes on every download until it expires",
          operationId: "downloadExport",
          parameters: [idParam],
          responses: {
            "200": {
              description: "The zip. Repr-Digest and ETag carry its sha256.",
              headers: { "Repr-Digest": { schema: { type: "string" } }, ETag: { schema: { type: "string" } } },
              content: { "application/zip": { schema: { type: "string", contentMediaType: "application/zip" } } },
            },
            "401": error,
            "403": error,
            "404": error,
            "409": error,
            "410": error,
          },
        },
      },
      "/openapi.json": {
        get: { summary: "This document", operationId: "openApi", security: [], responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } } },
      },
    },
    components: {
      securitySchemes: {
        bearerToken: { type: "http", scheme: "bearer", description: `A token from /research/tokens. Scopes: ${TOKEN_SCOPES.join(", ")}.` },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The web session of a signed-in researcher or admin." },
      },
      responses: {
        Error: {
          description: "An error: 400 the request body is not JSON; 401 no valid token or session; 403 not allowed (role or token scope); 404 not yours or not there; 409 not ready; 410 expired; 422 bad input (fields named); 429 too many running.",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  error: {
                    type: "object",
                    required: ["code", "message"],
                    properties: {
                      code: { type: "string" },
                      message: { type: "string" },
                      fields: { type: "array", items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      schemas: {
        NewStudy: {
          type: "object",
          required: ["name"],
          additionalProperties: false,
          properties: { name: { type: "string", minLength: 1, maxLength: 120 }, description: { type: "string", maxLength: 2000 } },
        },
        Study: {
          type: "object",
          properties: {
            id: { type: "string", format: "uuid" },
            name: { type: "string" },
            description: { type: ["string", "null"] },
            keyFingerprint: { type: "string", description: "sha256 of the study's pseudonym key (the key itself is never shown)" },
            createdAt: { type: "string", format: "date-time" },
            exports: { type: "integer" },
          },
        },
        Filters: {
          type: "object",
          additionalProperties: false,
          properties: {
            articles: { type: "array", items: { type: "string" }, description: "Article slugs; empty or absent = all" },
            from: { type: "string", format: "date", description: "First UTC day (inclusive) of creation" },
            to: { type: "string", format: "date", description: "Last UTC day (inclusive)" },
            kinds: { type: "array", items: { enum: [...KINDS] }, default: [...KINDS] },
            statuses: { type: "array", items: { enum: [...STATUSES] }, default: ["PUBLISHED"], description: "Anything but PUBLISHED is for admins only (403)" },
            includeModeration: { type: "boolean", default: false, description: "Add moderation_events and flags tables" },
            spreadsheetSafe: {
              type: "boolean",
              default: false,
              description: "CSV only (422 otherwise): add one leading ' to text values starting with = + - @ tab CR or ', so spreadsheets do not run them. Off: text exactly as written.",
            },
          },
        },
        NewExport: {
          type: "object",
          required: ["studyId", "format"],
          additionalProperties: false,
          properties: {
            studyId: { type: "string", format: "uuid" },
            format: { enum: [...FORMATS] },
            filters: { $ref: "#/components/schemas/Filters" },
          },
        },
        Export: {
          type: "object",
          properties: {
            id: { type: "string", format: "uuid" },
            status: { enum: ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "EXPIRED"] },
            format: { enum: [...FORMATS] },
            study: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
            filters: { $ref: "#/components/schemas/Filters" },
            requestedVia: { enum: ["web", "api", "cli"] },
            progress: {
              type: "object",
              properties: { rowsWritten: { type: "integer" }, rowsTotal: { type: ["integer", "null"] }, percent: { type: ["integer", "null"] } },
            },
            optedOutExcluded: { type: ["integer", "null"], description: "Contributions left out because their authors opted out" },
            createdAt: { type: "string", format: "date-time" },
            startedAt: { type: ["string", "null"], format: "date-time" },
            finishedAt: { type: ["string", "null"], format: "date-time" },
            expiresAt: { type: ["string", "null"], format: "date-time" },
            bundle: {
              type: ["object", "null"],
              properties: { sha256: { type: "string" }, bytes: { type: "integer" }, url: { type: "string" } },
            },
            error: { type: ["string", "null"] },
          },
        },
      },
    },
  };
}
