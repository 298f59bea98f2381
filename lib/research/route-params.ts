import { notFound } from "@/lib/http/errors";
import { idParamSchema } from "./schemas";

export type ExportCtx = { params: Promise<{ id: string }> };

/** The export id from the route; a malformed one names nothing that exists (404). */
export async function exportIdFrom(ctx: ExportCtx): Promise<string> {
  const { id } = await ctx.params;
  if (!idParamSchema.safeParse({ id }).success) throw notFound("Export");
  return id;
}
