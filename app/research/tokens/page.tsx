import type { Metadata } from "next";
import { NoAccess } from "@/app/_components/no-access";
import { pageFor } from "@/app/_components/role-gate";
import Link from "next/link";
import { listTokens } from "@/lib/research/tokens";
import { TokenManager } from "./token-manager";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const user = await pageFor("/research/tokens", "researcher");
  if (!user) return <NoAccess who="researchers" />;
  const tokens = await listTokens(user);
  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <p className="text-sm">
        <Link href="/research" className="underline">
          ← Research exports
        </Link>
      </p>
      <h1 className="mt-2 font-serif text-3xl font-semibold">API tokens</h1>
      <p className="mt-2 max-w-3xl text-stone-700">
        Scripts use a token to call the export API (<a href="/api/v1/openapi.json" className="underline">OpenAPI description</a>
        ): send it as <code>Authorization: Bearer &lt;token&gt;</code>. A token is shown once, when you create it; we keep only
        a hash. Scope <code>export</code> may create, list and download exports; <code>export:read</code> may only list and
        download them.
      </p>
      <TokenManager initialTokens={tokens} />
    </div>
  );
}
