import { requireUser } from "@/lib/auth/session";
import { routeId } from "@/lib/http/parse";
import { handler, json, parseJson } from "@/lib/http/respond";
import { createAppeal } from "@/lib/moderation/create-appeal";
import { appealSchema } from "@/lib/moderation/schemas";

type Ctx = { params: Promise<{ id: string }> };

/** POST {note}: the author appeals a hide or reject, once. */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await routeId(ctx, "Contribution");
  const { note } = await parseJson(req, appealSchema);
  return json(await createAppeal(user, id, note), 201);
});
