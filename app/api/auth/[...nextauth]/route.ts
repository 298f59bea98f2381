import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request (lazily), so `next build` needs no secret.
async function handle(req: Request, ctx: Ctx): Promise<Response> {
  const params = await ctx.params;
  return NextAuth(authOptions())(req, { params });
}

export { handle as GET, handle as POST };
