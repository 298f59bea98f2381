import { requireUser } from "@/lib/auth/session";
import { followSchema, followsQuerySchema } from "@/lib/follows/schemas";
import { listFollows, setFollow } from "@/lib/follows/set-follow";
import { handler, json, parseJson, parseQuery } from "@/lib/http/respond";

/** GET ?article=<slug>: what the caller follows on that article. */
export const GET = handler(async (req: Request) => {
  const user = await requireUser();
  const { article } = parseQuery(req, followsQuerySchema);
  return json(await listFollows(user, article));
});

/** POST {article, target, follow}: follow or stop following the article, a paragraph or a thread. */
export const POST = handler(async (req: Request) => {
  const user = await requireUser();
  const { article, target, follow } = await parseJson(req, followSchema);
  return json(await setFollow(user, article, target, follow));
});
