import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { handler } from "@/lib/http/respond";
import { requireExportCaller } from "@/lib/research/access";
import { bundleForDownload } from "@/lib/research/jobs";
import { routeId } from "@/lib/http/parse";

/**
 * GET: the bundle (zip), streamed from disk. The same bytes every time until it expires (410);
 * its sha256 is in the Repr-Digest and ETag headers and in the export's status.
 */
export const GET = handler(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const { user } = await requireExportCaller(req, "read");
  const bundle = await bundleForDownload(user, await routeId(ctx, "Export"));
  const body = Readable.toWeb(createReadStream(bundle.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(bundle.bytes),
      "Content-Disposition": `attachment; filename="${bundle.name}"`,
      ETag: `"${bundle.sha256}"`,
      "Repr-Digest": `sha-256=:${Buffer.from(bundle.sha256, "hex").toString("base64")}:`,
      "Cache-Control": "private, no-store",
    },
  });
});
