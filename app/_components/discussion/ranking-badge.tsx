import type { RankingStatusName } from "@/lib/ranking/status";

/** The public outcome of the last scoring run: a badge when helpful across perspectives, a note when it needs ratings. */
export function RankingBadge({ status }: { status: RankingStatusName }) {
  if (status === "HELPFUL") {
    return (
      <span className="rounded border border-emerald-400 bg-emerald-50 px-1.5 py-0.5 font-medium text-emerald-900">
        Helpful across perspectives
      </span>
    );
  }
  if (status === "NEEDS_MORE_RATINGS") return <span className="text-stone-600">Needs more ratings</span>;
  return null;
}
