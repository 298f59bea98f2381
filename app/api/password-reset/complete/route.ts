import { completePasswordReset } from "@/lib/auth/password-reset";
import { passwordResetCompleteSchema } from "@/lib/auth/schemas";
import { clientIp } from "@/lib/http/client-ip";
import { handler, json, parseJson } from "@/lib/http/respond";
import { limitPasswordResetComplete } from "@/lib/rate-limit/limits-for";

/** POST /api/password-reset/complete {token, password} -> 200; 400 if the link is used, expired or unknown. */
export const POST = handler(async (req: Request) => {
  const { token, password } = await parseJson(req, passwordResetCompleteSchema);
  await limitPasswordResetComplete(clientIp(req.headers));
  await completePasswordReset(token, password);
  return json({ message: "Your password is changed. Sign in with the new one." });
});
