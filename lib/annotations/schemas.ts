import { z } from "zod";
import { cursorSchema } from "@/lib/http/cursor";
import { INT4_MAX } from "@/lib/http/parse";
import { checkHttpUrl } from "@/lib/text/url";
import { KINDS, MAX_BODY, MAX_DOI, MAX_SOURCE_QUOTE, MAX_SOURCE_TITLE, PAGE_SIZE, STANCES } from "./limits";
import { bareDoi } from "./source-link";

/** Request schemas for contributions: the boundary every route and form goes through. */

export { MAX_BODY, MAX_DOI, MAX_SOURCE_QUOTE, MAX_SOURCE_TITLE, PAGE_SIZE };

export const kindSchema = z.enum(KINDS);
export const stanceSchema = z.enum(STANCES);

export const bodySchema = z
  .string({ error: "is required" })
  .max(MAX_BODY, `must be at most ${MAX_BODY} characters`)
  .refine((s) => s.replace(/[\s\p{Cf}]/gu, "").length > 0, "must not be empty");

export const httpUrlSchema = z.string({ error: "is required" }).superRefine((v, ctx) => {
  const r = checkHttpUrl(v);
  if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
});

/** An optional text field: absent, empty or blank means "not given"; otherwise kept exactly as typed. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .transform((t) => (t.trim() ? t : undefined));

/** A source link: URL and stance, and optionally a title, a DOI, an archived copy and the passage quoted. */
export const sourceSchema = z.object({
  url: httpUrlSchema,
  title: optionalText(MAX_SOURCE_TITLE).optional(),
  stance: stanceSchema,
  doi: optionalText(MAX_DOI)
    .refine((d) => d === undefined || bareDoi(d) !== null, "must be a DOI like 10.1234/abcd")
    .optional(),
  archiveUrl: z
    .string()
    .transform((u) => (u.trim() ? u : undefined))
    .pipe(httpUrlSchema.optional())
    .optional(),
  quote: optionalText(MAX_SOURCE_QUOTE).optional(),
});

export type SourceInput = z.output<typeof sourceSchema>;

const offset = z
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(INT4_MAX, "is too large");

/** A contribution's version (an int4 column): from 1. */
const version = z.number().int().min(1).max(INT4_MAX);

export const selectorInputSchema = z.object({
  start: offset,
  end: offset,
  exact: z.string().min(1, "must not be empty"),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
});

/** A source link carries a URL and a stance; nothing else does. */
function sourceMatchesKind(v: { kind: string; source?: unknown }, ctx: z.RefinementCtx) {
  if (v.kind === "SOURCE" && !v.source) {
    ctx.addIssue({ code: "custom", path: ["source"], message: "a source link needs a URL and a stance" });
  }
  if (v.kind !== "SOURCE" && v.source) {
    ctx.addIssue({ code: "custom", path: ["source"], message: "only source links carry a URL" });
  }
}

export const createContributionSchema = z
  .object({
    anchorId: z.string().min(1).max(200),
    versionId: z.uuid("must be an article version id"),
    kind: kindSchema,
    body: bodySchema,
    selector: selectorInputSchema,
    source: sourceSchema.optional(),
  })
  .superRefine(sourceMatchesKind);

export type CreateContributionInput = z.infer<typeof createContributionSchema>;

/**
 * POST /api/contributions/:id/replies. A reply answers its parent on the parent's claim: an
 * annotation, a counterpoint (it disputes the parent) or a source (stance towards the parent).
 */
export const createReplySchema = z
  .object({
    kind: kindSchema,
    body: bodySchema,
    source: sourceSchema.optional(),
  })
  .superRefine(sourceMatchesKind);

export type CreateReplyInput = z.infer<typeof createReplySchema>;

/** GET /api/contributions/:id/replies: its direct replies, oldest first, keyset-paged. */
export const repliesQuerySchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(PAGE_SIZE),
});

/** GET /api/contributions/:id/revisions: the edit history, oldest first, `after` a version. */
export const revisionsQuerySchema = z.object({
  after: z.coerce.number().int().min(0).max(INT4_MAX).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(PAGE_SIZE),
});

export const updateContributionSchema = z.object({
  version,
  body: bodySchema,
  source: sourceSchema.optional(),
});

export type UpdateContributionInput = z.infer<typeof updateContributionSchema>;

export const deleteContributionSchema = z.object({
  version: z.coerce.number().int().min(1).max(INT4_MAX).optional(),
});

export const listQuerySchema = z.object({
  cursor: cursorSchema.optional(),
  covering: z.coerce.number().int().min(0).max(INT4_MAX).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(PAGE_SIZE),
  /** helpful = "Most helpful" (docs/decisions/0026); unset = helpful once one of them has enough ratings, else newest. */
  sort: z.enum(["helpful", "newest"]).optional(),
  /** The margin's filter: one kind of top-level contribution. */
  kind: kindSchema.optional(),
});

/** GET /api/articles/:slug/orphans: one page of the article's orphans. */
export const orphansQuerySchema = z.object({ cursor: cursorSchema.optional() });

/** GET /api/me/contributions and /me/contributions: one page of the caller's own. */
export const ownContributionsQuerySchema = z.object({ cursor: cursorSchema.optional() });
