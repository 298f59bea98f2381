import type { KindCounts } from "@/lib/annotations/summary";
import { countsText, total } from "@/app/_components/discussion/labels";

/** "12 contributions: 7 annotations, 3 counterpoints, 2 sources" (the margin's wording, with the total), or "No contributions yet". */
export function discussionCounts(c: KindCounts): string {
  const n = total(c);
  return n === 0 ? "No contributions yet" : `${n} ${n === 1 ? "contribution" : "contributions"}: ${countsText(c)}`;
}
