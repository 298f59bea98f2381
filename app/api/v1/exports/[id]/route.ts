import { handler, json } from "@/lib/http/respond";
import { requireExportCaller } from "@/lib/research/access";
import { getExport } from "@/lib/research/jobs";
import { routeId } from "@/lib/http/parse";

/** GET: one export's status and progress (rows written / total), and its bundle once ready. */
export const GET = handler(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const { user } = await requireExportCaller(req, "read");
  return json({ export: await getExport(user, await routeId(ctx, "Export")) });
});
