import type { Metadata } from "next";
import Link from "next/link";
import { lenientQuery, type SearchParams } from "@/lib/http/parse";
import { userSearchSchema } from "@/lib/users/schemas";
import { searchUsers } from "@/lib/users/search-users";
import { age, formatUtc } from "@/app/_components/labels";
import { NoAccess } from "@/app/_components/no-access";
import { pageFor } from "@/app/_components/role-gate";
import { UserRow } from "./user-row";

// Rendered per request: it depends on who is asking (and reads the database, which the build has not).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "People" };

type Props = { searchParams: Promise<SearchParams> };

export default async function UsersPage({ searchParams }: Props) {
  const admin = await pageFor("/admin/users", "admin");
  if (!admin) return <NoAccess who="admins" />;
  const { q } = lenientQuery(userSearchSchema, await searchParams).query;
  const users = await searchUsers(admin, q || undefined);
  const now = Date.now();

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <h1 className="font-serif text-3xl font-semibold">People</h1>
      <p className="mt-2 max-w-3xl text-stone-700">
        Admins only. Role changes and suspensions are written to the audit log. There must always be at least one active
        admin.
      </p>

      <form method="get" action="/admin/users" role="search" className="mt-6 flex flex-wrap items-end gap-3">
        <div className="min-w-[16rem] flex-1 sm:flex-none">
          <label htmlFor="q" className="block text-sm font-medium">
            Name or email
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q ?? ""}
            maxLength={200}
            className="mt-1 block w-full rounded border border-stone-400 bg-white px-2 py-1.5 text-sm focus:border-stone-900 focus:outline-none focus:ring-2 focus:ring-amber-500 sm:w-80"
          />
        </div>
        <button
          type="submit"
          className="rounded bg-stone-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-stone-700 focus:outline-none focus:ring-2 focus:ring-amber-500"
        >
          Search
        </button>
        {q && (
          <Link href="/admin/users" className="text-sm underline">
            Show everyone
          </Link>
        )}
      </form>

      <p className="mt-4 text-sm text-stone-700" role="status">
        {users.length === 0
          ? "Nobody matches."
          : `${users.length === 50 ? "The 50 newest" : users.length} ${users.length === 1 ? "account" : "accounts"}${q ? ` matching “${q}”` : ""}, newest first.`}
      </p>

      {users.length > 0 && (
        <>
          <p className="mt-4 text-xs text-stone-600 lg:hidden">The table scrolls sideways.</p>
          <div role="region" aria-labelledby="people-caption" tabIndex={0} className="relative mt-2 overflow-x-auto rounded-lg border border-stone-300 bg-white focus:outline-none focus:ring-2 focus:ring-amber-500">
            <table className="w-full min-w-[60rem] border-collapse text-left text-sm">
              <caption id="people-caption" className="sr-only">
                Accounts
              </caption>
              <thead className="bg-stone-100 text-xs uppercase tracking-wide text-stone-700">
                <tr>
                  <th scope="col" className="px-3 py-2">Name</th>
                  <th scope="col" className="px-3 py-2">Email</th>
                  <th scope="col" className="px-3 py-2">Role</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2">Account age</th>
                  <th scope="col" className="px-3 py-2 text-right">Contributions</th>
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Suspension</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    isSelf={u.id === admin.id}
                    view={{ age: age(u.createdAt, now), suspendedUntil: u.suspendedUntil ? formatUtc(u.suspendedUntil) : null }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
