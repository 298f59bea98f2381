import { z } from "zod";
import { cursorSchema } from "@/lib/http/cursor";
import { KINDS, STATUSES } from "./tables";

/** Everything a research export accepts, validated at the boundary (UI, API and CLI alike). */

export const FORMATS = ["csv", "jsonl", "jsonld"] as const;
export type ExportFormatName = (typeof FORMATS)[number];

// Year 0 passes the ISO pattern but not PostgreSQL.
const day = z.iso.date({ error: "must be a date like 2026-11-27" }).refine((d) => d >= "0001-01-01", "must be a date like 2026-11-27");
const slug = z.string().trim().min(1).max(200).regex(/^[a-z0-9][a-z0-9-]*$/, "is not an article slug");

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

export const exportFiltersSchema = z
  .object({
    /** Article slugs; empty = every article. */
    articles: z.array(slug).max(200, "at most 200 articles").default([]).transform(unique),
    /** First and last day (UTC, inclusive) of the contributions' creation time. */
    from: day.optional(),
    to: day.optional(),
    kinds: z.array(z.enum(KINDS)).min(1, "choose at least one kind").default([...KINDS]).transform(unique),
    /** Default: published only. Anything else is for admins. */
    statuses: z.array(z.enum(STATUSES)).min(1, "choose at least one status").default(["PUBLISHED"]).transform(unique),
    includeModeration: z.boolean().default(false),
    /**
     * CSV only: guard text against spreadsheet formulas (a leading ' on text starting with
     * = + - @ tab CR or '). Off by default: text exactly as written (docs/decisions/0034).
     */
    spreadsheetSafe: z.boolean().default(false),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  });

export type ExportFilters = z.output<typeof exportFiltersSchema>;

export const createExportSchema = z
  .object({
    studyId: z.uuid("is not a valid study id"),
    format: z.enum(FORMATS, { error: `must be one of ${FORMATS.join(", ")}` }),
    filters: exportFiltersSchema.default(exportFiltersSchema.parse({})),
  })
  .strict()
  .superRefine((x, ctx) => {
    if (x.filters.spreadsheetSafe && x.format !== "csv") {
      ctx.addIssue({ code: "custom", path: ["filters", "spreadsheetSafe"], message: "applies to CSV only (JSONL and JSON-LD carry text unchanged)" });
    }
  });

export type CreateExportInput = z.output<typeof createExportSchema>;

export const createStudySchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
    description: z
      .string()
      .trim()
      .max(2000, "must be at most 2000 characters")
      .optional()
      .transform((d) => d || undefined),
  })
  .strict();

export const TOKEN_SCOPES = ["export", "export:read"] as const;
export type TokenScopeName = (typeof TOKEN_SCOPES)[number];

export const createTokenSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
    scope: z.enum(TOKEN_SCOPES, { error: `must be one of ${TOKEN_SCOPES.join(", ")}` }).default("export"),
    /** 1 to 365 days; default 90. */
    expiresInDays: z.number().int().min(1, "must be at least 1").max(365, "must be at most 365").default(90),
  })
  .strict();

export const listQuerySchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

