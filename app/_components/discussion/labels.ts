import type { Kind, Stance } from "@/lib/annotations/limits";
import type { KindCounts } from "@/lib/annotations/summary";

export const KIND_LABEL: Record<Kind, { one: string; many: string; short: string }> = {
  ANNOTATION: { one: "annotation", many: "annotations", short: "Annotation" },
  COUNTERPOINT: { one: "counterpoint", many: "counterpoints", short: "Counterpoint" },
  SOURCE: { one: "source", many: "sources", short: "Source" },
};

export const KIND_STYLE: Record<Kind, string> = {
  ANNOTATION: "bg-sky-100 text-sky-900 border-sky-300",
  COUNTERPOINT: "bg-rose-100 text-rose-900 border-rose-300",
  SOURCE: "bg-emerald-100 text-emerald-900 border-emerald-300",
};

export const STANCE_LABEL: Record<Stance, string> = {
  SUPPORTS: "Supports the claim",
  REFUTES: "Refutes the claim",
  CONTEXT: "Gives context",
};

/** A source's stance in a reply is towards the contribution it answers. */
export const REPLY_STANCE_LABEL: Record<Stance, string> = {
  SUPPORTS: "Supports what it answers",
  REFUTES: "Refutes what it answers",
  CONTEXT: "Gives context",
};

/** What a reader sees in place of a contribution that its replies keep in the thread. */
export const PLACEHOLDER_TEXT = {
  deleted: "Removed by its author.",
  hidden: "Hidden by a moderator.",
  pending: "Waiting for a moderator’s review.",
} as const;

/** Replies are indented this many levels; deeper ones are shown flat, "in reply to" their parent's author. */
export const MAX_INDENT = 3;

export function countsText(c: KindCounts): string {
  const parts = (Object.keys(KIND_LABEL) as Kind[])
    .filter((k) => c[k] > 0)
    .map((k) => `${c[k]} ${c[k] === 1 ? KIND_LABEL[k].one : KIND_LABEL[k].many}`);
  return parts.length ? parts.join(", ") : "no contributions yet";
}

export function total(c: KindCounts): number {
  return c.ANNOTATION + c.COUNTERPOINT + c.SOURCE;
}

export { shorten } from "../shorten";
