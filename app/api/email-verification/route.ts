import { verifyEmailSchema } from "@/lib/auth/schemas";
import { confirmEmail } from "@/lib/auth/verify-email";
import { clientIp } from "@/lib/http/client-ip";
import { handler, json, parseJson } from "@/lib/http/respond";
import { limitEmailConfirmation } from "@/lib/rate-limit/limits-for";

/** POST /api/email-verification {token} -> 200 once the address is confirmed; 400 for a used or expired link. */
export const POST = handler(async (req: Request) => {
  const { token } = await parseJson(req, verifyEmailSchema);
  await limitEmailConfirmation(clientIp(req.headers));
  await confirmEmail(token);
  return json({ message: "Your email address is confirmed." });
});
