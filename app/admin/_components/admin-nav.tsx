"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The moderation area's own navigation; the current page is marked for screen readers too. */
export function AdminNav({ isAdmin }: { isAdmin: boolean }) {
  const path = usePathname();
  const links = [
    { href: "/admin", label: "Queue" },
    { href: "/admin/log", label: "Audit log" },
    ...(isAdmin ? [{ href: "/admin/users", label: "People" }, { href: "/admin/articles", label: "Articles" }] : []),
    { href: "/moderation", label: "Public policy and statistics" },
  ];
  return (
    <nav aria-label="Moderation" className="border-b border-stone-200 bg-stone-50">
      <ul className="mx-auto flex max-w-6xl flex-wrap gap-x-1 gap-y-1 px-4 py-2 text-sm">
        {links.map((l) => {
          const current = path === l.href;
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block rounded px-3 py-1.5 focus:outline-none focus:ring-2 focus:ring-amber-500 ${
                  current ? "bg-stone-900 font-medium text-white" : "text-stone-800 hover:bg-stone-200"
                }`}
              >
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
