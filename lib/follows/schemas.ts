import { z } from "zod";
import { isRouteText } from "@/lib/http/parse";

/**
 * What a reader follows on an article: the whole article, one paragraph (by anchor id), or one
 * thread (by its top-level contribution's id).
 */
export const followTargetSchema = z
  .string({ error: "is required" })
  .max(300, "is too long")
  .regex(/^(article|paragraph:[^\s]+|thread:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/, "must be article, paragraph:<anchor id> or thread:<contribution id>");

const slug = z.string({ error: "is required" }).refine(isRouteText, "is not an article");

export const followsQuerySchema = z.object({ article: slug });

export const followSchema = z.object({ article: slug, target: followTargetSchema, follow: z.boolean({ error: "must be true or false" }) }).strict();

export type FollowTarget = z.infer<typeof followTargetSchema>;
