import { z } from "zod";
import { AppError } from "@/lib/http/errors";

/**
 * The keyset cursor of the "Most helpful" order: (tier, score, createdAt, id), the stored
 * columns the order is made of (lib/annotations/list-contributions.ts), as base64url JSON.
 */
export interface HelpfulKey {
  tier: number;
  score: number;
  at: Date;
  id: string;
}

const shape = z.object({
  t: z.number().int().min(0).max(2),
  s: z.number().finite(),
  at: z.iso.datetime(),
  id: z.uuid(),
});

export function encodeHelpfulCursor(k: HelpfulKey): string {
  return Buffer.from(JSON.stringify({ t: k.tier, s: k.score, at: k.at.toISOString(), id: k.id })).toString("base64url");
}

export function decodeHelpfulCursor(cursor: string): HelpfulKey {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    raw = null;
  }
  const parsed = shape.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("validation", "cursor: is not a valid cursor", { fields: [{ field: "cursor", message: "is not a valid cursor" }] });
  }
  return { tier: parsed.data.t, score: parsed.data.s, at: new Date(parsed.data.at), id: parsed.data.id };
}
