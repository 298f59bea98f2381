import { verifyEmailSchema } from "@/lib/auth/schemas";
import { confirmEmail } from "@/lib/auth/verify-email";
import { handler, json, parseJson } from "@/lib/http/respond";

/** POST /api/email-verification {token} -> 200 once the address is confirmed; 400 for a used or expired link. */
export const POST = handler(async (req: Request) => {
  const { token } = await parseJson(req, verifyEmailSchema);
  await confirmEmail(token);
  return json({ message: "Your email address is confirmed." });
});
