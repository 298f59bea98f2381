import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { UserMenu } from "./_components/user-menu";
import { VerifyEmailBanner } from "./_components/verify-email-banner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Marginalia — argue carefully about a text", template: "%s · Marginalia" },
  description: "Read long-form articles and attach annotations, counterpoints and sources to the claims they make.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <header className="border-b border-stone-200 bg-white/80">
          <nav aria-label="Site" className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-3">
            <Link href="/" className="font-serif text-xl font-semibold tracking-tight text-stone-900">
              Marginalia
            </Link>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
              <Link href="/search" className="text-stone-800 underline-offset-4 hover:underline">
                Search
              </Link>
              <UserMenu />
            </div>
          </nav>
        </header>
        <VerifyEmailBanner />
        <main id="main" tabIndex={-1} className="outline-none">
          {children}
        </main>
        <footer className="mx-auto max-w-6xl px-4 py-10 text-sm text-stone-600">
          <p>Contributions are the views of their authors. Be precise, cite sources, argue with claims — not with people.</p>
          <p className="mt-2">
            <Link href="/moderation" className="text-stone-800 underline underline-offset-4">
              Moderation policy
            </Link>
            {" · "}
            <Link href="/ranking" className="text-stone-800 underline underline-offset-4">
              How “Most helpful” works
            </Link>
            {" · "}
            <Link href="/privacy" className="text-stone-800 underline underline-offset-4">
              Privacy and research
            </Link>
          </p>
        </footer>
      </body>
    </html>
  );
}
