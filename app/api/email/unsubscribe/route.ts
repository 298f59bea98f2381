import { z } from "zod";
import { handler, json, parseQuery } from "@/lib/http/respond";
import { unsubscribeFromDigests } from "@/lib/mail/unsubscribe";

const querySchema = z.object({ token: z.string().trim().min(1, "is required").max(200, "is too long") });

/**
 * POST /api/email/unsubscribe?token=… -> 200: digest emails off. The URL of a digest's
 * List-Unsubscribe header: mail clients POST `List-Unsubscribe=One-Click` to it (RFC 8058), from
 * their own servers and without our cookies or Origin, so the signed token is the only credential.
 */
export const POST = handler(async (req: Request) => {
  const { token } = parseQuery(req, querySchema);
  await unsubscribeFromDigests(token);
  return json({ message: "You will no longer receive digest emails." });
});
