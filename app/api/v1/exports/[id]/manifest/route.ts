import { handler, json } from "@/lib/http/respond";
import { requireExportCaller } from "@/lib/research/access";
import { getManifest } from "@/lib/research/jobs";
import { exportIdFrom, type ExportCtx } from "@/lib/research/route-params";

/** GET: a finished export's manifest.json (files, row counts, sha256s, filters), without the zip. */
export const GET = handler(async (req: Request, ctx: ExportCtx) => {
  const { user } = await requireExportCaller(req, "read");
  return json(await getManifest(user, await exportIdFrom(ctx)));
});
