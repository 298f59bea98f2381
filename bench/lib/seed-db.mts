// Run by bench/run.mts in a process of its own for each size (the app's modules read
// DATABASE_URL once per process): migrates the database with the app's own code, loads the
// article from CONTENT_DIR, publishes its revision (bench/lib/revise-article.ts) when
// BENCH_SEED_REVISE=1 — so the discussion has orphans and an earlier version — and seeds the
// discussion (bench/lib/seed.ts). Writes the SeedResult as JSON to BENCH_SEED_OUT.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const need = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const slug = need("BENCH_SEED_SLUG");
const contentDir = need("CONTENT_DIR");
const file = path.join(contentDir, `${slug}.md`);
const original = readFileSync(file, "utf8");

const { closeDb } = await import("@/lib/db/client");
const { prepareDatabase } = await import("@/lib/startup");
const { loadContent } = await import("@/lib/content/load-content");
const { parseArticle } = await import("@/lib/content/parse-article");
const { reviseArticle } = await import("./revise-article");
const { seedContributions } = await import("./seed");

try {
  const db = await prepareDatabase();
  // The revision edits paragraphs up to the 23rd (bench/lib/revise-article.ts): shorter articles stay as they are.
  const paragraphs = parseArticle(slug, original).paragraphs.map((p) => p.text);
  const revise = process.env.BENCH_SEED_REVISE === "1" && paragraphs.length >= 23;
  if (revise) {
    // The same front matter; the body is the revised paragraphs (the loader splits on blank lines).
    const end = original.indexOf("\n---", 3);
    const frontMatter = original.slice(0, end + 4);
    writeFileSync(file, `${frontMatter}\n\n${reviseArticle(paragraphs).join("\n\n")}\n`);
    const res = await loadContent(db);
    if (!res.created.includes(slug)) throw new Error(`${slug}: the revision was not published`);
  }
  const seeded = await seedContributions(db, {
    slug,
    contributions: Number(need("BENCH_SEED_CONTRIBUTIONS")),
    authors: Number(need("BENCH_SEED_AUTHORS")),
    replyShare: Number(process.env.BENCH_SEED_REPLY_SHARE ?? 0),
    orphanShare: revise ? Number(process.env.BENCH_SEED_ORPHAN_SHARE ?? 0) : 0,
    ratings: process.env.BENCH_SEED_RATINGS === "1",
  });
  writeFileSync(need("BENCH_SEED_OUT"), JSON.stringify({ seeded, revised: revise }));
} finally {
  await closeDb();
}
