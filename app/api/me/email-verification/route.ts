import { requireUser } from "@/lib/auth/session";
import { resendVerificationEmail } from "@/lib/auth/verify-email";
import { handler, json } from "@/lib/http/respond";
import { limitVerificationResend } from "@/lib/rate-limit/limits-for";

/** POST /api/me/email-verification -> 202: a new confirmation email; 409 if already confirmed. */
export const POST = handler(async () => {
  const user = await requireUser();
  await limitVerificationResend(user);
  await resendVerificationEmail(user.id);
  return json({ message: "We have sent you a new confirmation link." }, 202);
});
