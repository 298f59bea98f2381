import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/sign-up";
import { clientIp } from "@/lib/http/client-ip";
import { handler, json, parseJson } from "@/lib/http/respond";
import { limitSignUp } from "@/lib/rate-limit/limits-for";

/** POST /api/signup {name, email, password} -> 201 {user}; 409 if the email is taken. */
export const POST = handler(async (req: Request) => {
  const input = await parseJson(req, signUpSchema);
  await limitSignUp(clientIp(req.headers));
  const user = await signUp(input);
  return json({ user }, 201);
});
