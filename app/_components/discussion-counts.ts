import type { KindCounts } from "@/lib/annotations/summary";
import { KIND_LABEL } from "@/app/_components/discussion/labels";

const KINDS = ["ANNOTATION", "COUNTERPOINT", "SOURCE"] as const;

/** "12 contributions: 7 annotations, 3 counterpoints, 2 sources" (kinds with none left out), or "No contributions yet". */
export function discussionCounts(c: KindCounts): string {
  const total = c.ANNOTATION + c.COUNTERPOINT + c.SOURCE;
  if (total === 0) return "No contributions yet";
  const parts = KINDS.filter((k) => c[k] > 0).map((k) => `${c[k]} ${c[k] === 1 ? KIND_LABEL[k].one : KIND_LABEL[k].many}`);
  return `${total} ${total === 1 ? "contribution" : "contributions"}: ${parts.join(", ")}`;
}
