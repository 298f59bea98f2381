import { deleteContribution } from "@/lib/annotations/delete-contribution";
import { getContributionThread } from "@/lib/annotations/get-contribution-thread";
import { deleteContributionSchema, updateContributionSchema } from "@/lib/annotations/schemas";
import { updateContribution } from "@/lib/annotations/update-contribution";
import { getCurrentUser, requireUser } from "@/lib/auth/session";
import { routeId } from "@/lib/http/parse";
import { invalidateArticlePages } from "@/lib/cache/invalidate";
import { handler, json, parseJson, parseQuery } from "@/lib/http/respond";

type Ctx = { params: Promise<{ id: string }> };

/** GET: a contribution the caller may read, with its thread above it (what a shared link opens). */
export const GET = handler(async (_req: Request, ctx: Ctx) => {
  const id = await routeId(ctx, "Contribution");
  const viewer = await getCurrentUser();
  return json(await getContributionThread(id, viewer?.id ?? null));
});

/** PATCH {version, body, source?}: the author edits; 409 if `version` is stale. */
export const PATCH = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await routeId(ctx, "Contribution");
  const input = await parseJson(req, updateContributionSchema);
  const contribution = await updateContribution(user, id, input);
  invalidateArticlePages();
  return json({ contribution });
});

/** DELETE ?version=N: the author deletes; 409 if `version` is given and stale. */
export const DELETE = handler(async (req: Request, ctx: Ctx) => {
  const user = await requireUser();
  const id = await routeId(ctx, "Contribution");
  const { version } = parseQuery(req, deleteContributionSchema);
  await deleteContribution(user, id, version);
  invalidateArticlePages();
  return new Response(null, { status: 204 });
});
