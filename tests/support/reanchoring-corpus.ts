import { readFileSync } from "node:fs";
import path from "node:path";
import type { AnchoringMethod } from "@/lib/anchoring/types";
import type { ParagraphChangeKind } from "@/lib/anchoring/align-paragraphs";

/**
 * tests/fixtures/reanchoring-corpus.json, resolved: each case's old and new paragraph texts, the
 * claim's offsets on the old text and what re-anchoring must give. Used by the unit test (pure
 * engine) and the integration test (the content loader on a real database).
 */

type ParagraphSpec = string | { base: number; replace?: [string, string][] };

interface RawCase {
  name: string;
  title?: string;
  replies?: number;
  old?: ParagraphSpec[];
  new: ParagraphSpec[];
  claim: { paragraph: number; quote?: string; occurrence?: number; whole?: boolean };
  expect: {
    method: AnchoringMethod;
    paragraph?: number;
    quote?: string;
    whole?: boolean;
    occurrenceInNew?: number;
    change?: ParagraphChangeKind;
  };
}

export interface CorpusCase {
  name: string;
  title?: string;
  replies: number;
  old: string[];
  new: string[];
  claim: { paragraph: number; start: number; end: number };
  expect: {
    method: AnchoringMethod;
    /** For placed claims: the paragraph index in `new` and the offsets there. */
    paragraph?: number;
    start?: number;
    end?: number;
    quote?: string;
    whole?: boolean;
    change?: ParagraphChangeKind;
  };
}

function nthIndexOf(text: string, quote: string, n: number, what: string): number {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = text.indexOf(quote, at + 1);
    if (at === -1) throw new Error(`${what}: occurrence ${n} of ${JSON.stringify(quote)} not found`);
  }
  return at;
}

export function loadCorpus(): CorpusCase[] {
  const file = path.join(process.cwd(), "tests", "fixtures", "reanchoring-corpus.json");
  const raw = JSON.parse(readFileSync(file, "utf8")) as { base: string[]; cases: RawCase[] };
  const resolve = (spec: ParagraphSpec, what: string): string => {
    if (typeof spec === "string") return spec;
    let text = raw.base[spec.base];
    if (text === undefined) throw new Error(`${what}: no base paragraph ${spec.base}`);
    for (const [from, to] of spec.replace ?? []) {
      if (!text.includes(from)) throw new Error(`${what}: ${JSON.stringify(from)} is not in base paragraph ${spec.base}`);
      text = text.replace(from, to);
    }
    return text;
  };
  return raw.cases.map((c) => {
    const old = (c.old ?? raw.base).map((p) => resolve(p, c.name));
    const next = c.new.map((p) => resolve(p, c.name));
    const claimText = old[c.claim.paragraph]!;
    const start = c.claim.whole ? 0 : nthIndexOf(claimText, c.claim.quote!, c.claim.occurrence ?? 1, c.name);
    const end = c.claim.whole ? claimText.length : start + c.claim.quote!.length;
    const e = c.expect;
    const expected: CorpusCase["expect"] = { method: e.method, change: e.change };
    if (e.method !== "orphaned") {
      const target = next[e.paragraph!]!;
      const quote = e.whole ? target : e.quote!;
      const at = e.whole ? 0 : nthIndexOf(target, quote, e.occurrenceInNew ?? 1, c.name);
      Object.assign(expected, { paragraph: e.paragraph, start: at, end: at + quote.length, quote, whole: e.whole ?? false });
    }
    return { name: c.name, title: c.title, replies: c.replies ?? 0, old, new: next, claim: { paragraph: c.claim.paragraph, start, end }, expect: expected };
  });
}

/** Version 1 for a placement that did not move (same method and offsets, one successor), else 2. */
export function expectedSinceVersion(c: CorpusCase): number {
  const e = c.expect;
  const stayed = e.method === "exact" && e.change !== "split" && e.change !== "merged" && e.start === c.claim.start && e.end === c.claim.end;
  return stayed ? 1 : 2;
}
