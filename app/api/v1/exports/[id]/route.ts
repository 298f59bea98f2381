import { handler, json } from "@/lib/http/respond";
import { requireExportCaller } from "@/lib/research/access";
import { getExport } from "@/lib/research/jobs";
import { exportIdFrom, type ExportCtx } from "@/lib/research/route-params";

/** GET: one export's status and progress (rows written / total), and its bundle once ready. */
export const GET = handler(async (req: Request, ctx: ExportCtx) => {
  const { user } = await requireExportCaller(req, "read");
  return json({ export: await getExport(user, await exportIdFrom(ctx)) });
});
