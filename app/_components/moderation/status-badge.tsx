import { STATUS_LABEL, STATUS_STYLE } from "@/app/_components/labels";

/** A contribution's moderation status as a small labelled badge. */
export function StatusBadge({ status, className = "" }: { status: string; className?: string }) {
  return (
    <span
      className={`inline-block rounded border px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[status] ?? STATUS_STYLE.HIDDEN} ${className}`}
    >
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}
