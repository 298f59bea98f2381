import { requireUser } from "@/lib/auth/session";
import { handler, json, parseJson } from "@/lib/http/respond";
import { createTokenSchema } from "@/lib/research/schemas";
import { createToken, listTokens } from "@/lib/research/tokens";

/** GET: the signed-in researcher's API tokens (never the tokens themselves). Session only. */
export const GET = handler(async () => {
  const user = await requireUser();
  return json({ items: await listTokens(user) });
});

/** POST {name, scope, expiresInDays}: a new token, returned ONCE in `token`. Session only. */
export const POST = handler(async (req: Request) => {
  const user = await requireUser();
  const input = await parseJson(req, createTokenSchema);
  const { token, record } = await createToken(user, input);
  return json({ token, record }, 201);
});
