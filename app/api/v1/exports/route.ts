import { handler, json, parseJson, parseQuery } from "@/lib/http/respond";
import { requireExportCaller } from "@/lib/research/access";
import { createExport, kickExportWorker, listExports } from "@/lib/research/jobs";
import { createExportSchema, listQuerySchema } from "@/lib/research/schemas";

/** GET ?cursor&limit: the caller's exports, newest first. */
export const GET = handler(async (req: Request) => {
  const { user } = await requireExportCaller(req, "read");
  const q = parseQuery(req, listQuerySchema);
  return json(await listExports(user, q));
});

/** POST {studyId, format, filters}: queues an export (202); poll GET /api/v1/exports/{id}. */
export const POST = handler(async (req: Request) => {
  const caller = await requireExportCaller(req, "create");
  const input = await parseJson(req, createExportSchema);
  const created = await createExport(caller.user, input, caller.via);
  kickExportWorker();
  return new Response(JSON.stringify({ export: created }), {
    status: 202,
    headers: { "Content-Type": "application/json", Location: `/api/v1/exports/${created.id}` },
  });
});
