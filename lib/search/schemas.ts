import { z } from "zod";
import { kindSchema } from "@/lib/annotations/schemas";
import { cursorSchema } from "@/lib/http/cursor";
import { MAX_SEARCH_QUERY } from "./config";

const words = z
  .string({ error: "enter words to search for" })
  .max(MAX_SEARCH_QUERY, `must be at most ${MAX_SEARCH_QUERY} characters`)
  .transform((s) => s.replace(/\s+/g, " ").trim());

const filters = {
  /** An article's slug: only its contributions. */
  article: z.string().min(1).max(200).optional(),
  /** Only contributions of this kind (replies included). */
  kind: kindSchema.optional(),
  cursor: cursorSchema.optional(),
};

/** GET /api/search: the words are required. */
export const searchQuerySchema = z.object({
  q: words.refine((s) => s.length > 0, "enter words to search for"),
  ...filters,
});

/** The /search page: no words shows the form only. */
export const searchPageQuerySchema = z.object({
  q: words.optional(),
  ...filters,
});

export type SearchQuery = z.infer<typeof searchQuerySchema>;
