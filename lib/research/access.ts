import { canResearch, canTokenScope } from "@/lib/auth/permissions";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import { AppError, forbidden } from "@/lib/http/errors";
import { authenticateToken } from "./tokens";

/**
 * Who is calling the export API: a bearer token (scripts) or the signed-in session (the
 * /research page). `need` is what the call does: "read" (list, status, download) or "create".
 * A token of scope export:read cannot create (403). Sessions of researchers and admins can do both.
 */
export interface ExportCaller {
  user: CurrentUser;
  via: "api" | "web";
}

export async function requireExportCaller(req: Request, need: "read" | "create"): Promise<ExportCaller> {
  const header = req.headers.get("authorization");
  if (header !== null) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new AppError("unauthenticated", "Send the token as: Authorization: Bearer <token>.");
    const { user, scope } = await authenticateToken(m[1]!);
    if (!canTokenScope(scope, need)) throw forbidden("This token's scope (export:read) may list and download exports, not create them.");
    return { user, via: "api" };
  }
  const user = await requireUser();
  if (!canResearch(user)) throw forbidden("Researchers only.");
  return { user, via: "web" };
}
