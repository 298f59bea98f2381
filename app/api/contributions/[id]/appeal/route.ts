import { idSchema } from "@/lib/annotations/schemas";
import { requireUser } from "@/lib/auth/session";
import { notFound } from "@/lib/http/errors";
import { handler, json, parseJson } from "@/lib/http/respond";
import { createAppeal } from "@/lib/moderation/create-appeal";
import { appealSchema } from "@/lib/moderation/schemas";

type Ctx = { params: Promise<{ id: string }> };

/** POST {note}: the author appeals a hide or reject, once. */
export const POST = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const { id } = await ctx.params;
  if (!idSchema.safeParse(id).success) throw notFound("Contribution");
  const { note } = await parseJson(req, appealSchema);
  return json(await createAppeal(user, id, note), 201);
});
