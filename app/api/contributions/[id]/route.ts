import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { deleteContributionSchema, idSchema, updateContributionSchema } from "@/lib/annotations/schemas";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { requireUser } from "@/lib/auth/session";
import { notFound } from "@/lib/http/errors";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson, parseParams } from "@/lib/http/respond";

type Ctx = { params: Promise<{ id: string }> };

async function contributionId(ctx: Ctx): Promise<string> {
  const { id } = await ctx.params;
  // A malformed id names nothing that exists.
  if (!idSchema.safeParse(id).success) throw notFound("Contribution");
  return id;
}

/** PATCH {version, body, source?}: the author edits; 409 if `version` is stale. */
export const PATCH = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await contributionId(ctx);
  const input = await parseJson(req, updateContributionSchema);
  const contribution = await updateContribution(user, id, input);
  invalidateArticlePages();
  return json({ contribution });
});

/** DELETE ?version=N: the author deletes; 409 if `version` is given and stale. */
export const DELETE = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await contributionId(ctx);
  const { version } = parseParams(Object.fromEntries(new URL(req.url).searchParams), deleteContributionSchema);
  await deleteContribution(user, id, version);
  invalidateArticlePages();
  return new Response(null, { status: 204 });
});
