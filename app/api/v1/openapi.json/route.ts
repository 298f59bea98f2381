import { handler, json } from "@/lib/http/respond";
import { publicBaseUrl } from "@/lib/research/config";
import { openApiDocument } from "@/lib/research/openapi";

/** GET: the export API's OpenAPI 3.1 document (public, at a stable URL). */
export const GET = handler(async () => json(openApiDocument(publicBaseUrl())));
