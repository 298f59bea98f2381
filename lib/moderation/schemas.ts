import { z } from "zod";
import { cursorSchema } from "@/lib/http/cursor";
import { INT4_MAX } from "@/lib/http/parse";
import { MAX_SEARCH_QUERY } from "@/lib/search/config";
import { DECISIONS } from "./status-machine";

export const FLAG_REASONS = ["SPAM", "HARASSMENT", "OFF_TOPIC", "MISINFORMATION", "OTHER"] as const;
export const MAX_FLAG_NOTE = 500;
export const MAX_REASON = 1000;
export const MAX_APPEAL_NOTE = 2000;

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .optional()
    .transform((t) => (t && t.trim() ? t : undefined));

export const flagSchema = z
  .object({
    reason: z.enum(FLAG_REASONS, { error: "choose a reason" }),
    note: optionalText(MAX_FLAG_NOTE),
  })
  .superRefine((v, ctx) => {
    if (v.reason === "OTHER" && !v.note) ctx.addIssue({ code: "custom", path: ["note"], message: "say what is wrong" });
  });

export const appealSchema = z.object({
  note: z
    .string({ error: "is required" })
    .max(MAX_APPEAL_NOTE, `must be at most ${MAX_APPEAL_NOTE} characters`)
    .refine((s) => s.trim().length > 0, "must not be empty"),
});

export const decisionSchema = z.object({
  decision: z.enum(DECISIONS),
  reason: optionalText(MAX_REASON),
  items: z
    .array(z.object({ id: z.uuid("is not a valid id"), version: z.number().int().min(1).max(INT4_MAX) }))
    .min(1, "select at least one contribution")
    .max(500, "at most 500 at once"),
});

export const appealDecisionSchema = z.object({
  contributionId: z.uuid(),
  version: z.number().int().min(1).max(INT4_MAX),
  uphold: z.boolean(),
  reason: optionalText(MAX_REASON),
});

export const queueQuerySchema = z.object({
  article: z.string().max(200).optional(),
  kind: z.enum(["ANNOTATION", "COUNTERPOINT", "SOURCE"]).optional(),
  status: z.enum(["PENDING", "PUBLISHED", "HIDDEN", "REJECTED"]).optional(),
  reason: z.enum(FLAG_REASONS).optional(),
  author: z.string().max(200).optional(),
  /** Words (full-text search, websearch syntax) in the body, a source's title or quoted passage. */
  q: z
    .string()
    .max(MAX_SEARCH_QUERY, `must be at most ${MAX_SEARCH_QUERY} characters`)
    .optional()
    .transform((s) => s?.replace(/\s+/g, " ").trim() || undefined),
  order: z.enum(["oldest", "newest"]).default("oldest"),
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const logQuerySchema = z.object({
  action: z
    .enum(["FLAG", "APPEAL", "PUBLISH", "HIDE", "REJECT", "RESTORE", "KEEP", "AUTO_HIDE", "REQUEUE_EDIT", "APPEAL_UPHELD", "APPEAL_DENIED", "ROLE_CHANGE", "SUSPEND", "UNSUSPEND", "EXPORT", "ARTICLE_CREATE", "UNDO", "ARTICLE_REVISE", "REATTACH"])
    .optional(),
  contribution: z.uuid().optional(),
  actor: z.uuid().optional(),
  target: z.uuid().optional(),
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** POST /api/admin/decisions/undo: the decision (as returned with its results) to take back. */
export const undoSchema = z.object({ batch: z.uuid("is not a valid decision id") });
