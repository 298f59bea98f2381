import { z } from "zod";
import { NEGATIVE_TAGS, POSITIVE_TAGS, RATING_TAGS, RATING_VALUES } from "@/lib/ranking/config";

/** PUT /api/contributions/:id/rating: a value and optional reasons that point the same way. */
export const rateSchema = z
  .object({
    value: z.enum(RATING_VALUES, { error: `must be one of ${RATING_VALUES.join(", ")}` }),
    tags: z
      .array(z.enum(RATING_TAGS, { error: `must be one of ${RATING_TAGS.join(", ")}` }))
      .max(RATING_TAGS.length)
      .default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (new Set(v.tags).size !== v.tags.length) ctx.addIssue({ code: "custom", path: ["tags"], message: "must not repeat a reason" });
    const wrong =
      v.value === "HELPFUL"
        ? v.tags.filter((t) => (NEGATIVE_TAGS as readonly string[]).includes(t))
        : v.value === "NOT_HELPFUL"
          ? v.tags.filter((t) => (POSITIVE_TAGS as readonly string[]).includes(t))
          : [];
    if (wrong.length) ctx.addIssue({ code: "custom", path: ["tags"], message: `${wrong.join(", ")} does not go with ${v.value}` });
  });

export type RateInput = z.infer<typeof rateSchema>;
