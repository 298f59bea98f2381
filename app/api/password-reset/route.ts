import { RESET_REQUESTED, requestPasswordReset } from "@/lib/auth/password-reset";
import { passwordResetRequestSchema } from "@/lib/auth/schemas";
import { clientIp } from "@/lib/http/client-ip";
import { handler, json, parseJson } from "@/lib/http/respond";
import { limitPasswordReset } from "@/lib/rate-limit/limits-for";

/** POST /api/password-reset {email} -> 202, the same answer whether or not the address has an account. */
export const POST = handler(async (req: Request) => {
  const { email } = await parseJson(req, passwordResetRequestSchema);
  await limitPasswordReset(clientIp(req.headers), email);
  await requestPasswordReset(email);
  return json({ message: RESET_REQUESTED }, 202);
});
