import { handler, json } from "@/lib/http/respond";
import { requireExportCaller } from "@/lib/research/access";
import { getManifest } from "@/lib/research/jobs";
import { routeId } from "@/lib/http/parse";

/** GET: a finished export's manifest.json (files, row counts, sha256s, filters), without the zip. */
export const GET = handler(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const { user } = await requireExportCaller(req, "read");
  return json(await getManifest(user, await routeId(ctx, "Export")));
});
