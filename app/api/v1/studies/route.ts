import { handler, json, parseJson } from "@/lib/http/respond";
import { requireExportCaller } from "@/lib/research/access";
import { createStudySchema } from "@/lib/research/schemas";
import { createStudy, listStudies } from "@/lib/research/studies";

/** GET: the caller's studies (an admin's: all). Token scope export:read or export, or a session. */
export const GET = handler(async (req: Request) => {
  const { user } = await requireExportCaller(req, "read");
  return json({ items: await listStudies(user) });
});

/** POST {name, description?}: a new study with its own pseudonym key. */
export const POST = handler(async (req: Request) => {
  const { user } = await requireExportCaller(req, "create");
  const input = await parseJson(req, createStudySchema);
  return json({ study: await createStudy(user, input) }, 201);
});
