import { z } from "zod";
import { cursorSchema } from "@/lib/http/cursor";

/** GET /api/people/:id and /people/:id: `?cursor=` for the next page. */
export const profileQuerySchema = z.object({ cursor: cursorSchema.optional() });
