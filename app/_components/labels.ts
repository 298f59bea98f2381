/** Words, colours and date formats shared by the admin, author, research and public pages. */

export const STATUS_LABEL: Record<string, string> = {
  PENDING: "Pending review",
  PUBLISHED: "Published",
  HIDDEN: "Hidden",
  REJECTED: "Rejected",
};

export const STATUS_STYLE: Record<string, string> = {
  PENDING: "border-amber-400 bg-amber-50 text-amber-900",
  PUBLISHED: "border-emerald-400 bg-emerald-50 text-emerald-900",
  HIDDEN: "border-stone-400 bg-stone-100 text-stone-800",
  REJECTED: "border-red-300 bg-red-50 text-red-900",
};

export const FLAG_REASONS = ["SPAM", "HARASSMENT", "OFF_TOPIC", "MISINFORMATION", "OTHER"] as const;

export const FLAG_REASON_LABEL: Record<string, string> = {
  SPAM: "Spam",
  HARASSMENT: "Harassment",
  OFF_TOPIC: "Off-topic",
  MISINFORMATION: "Misinformation",
  OTHER: "Other",
};

export const DECISION_LABEL: Record<string, string> = {
  PUBLISH: "Publish",
  HIDE: "Hide",
  REJECT: "Reject",
  RESTORE: "Restore",
  KEEP: "Reviewed, keep",
};

export const ACTION_LABEL: Record<string, string> = {
  FLAG: "Reported",
  APPEAL: "Appealed",
  PUBLISH: "Published",
  HIDE: "Hidden",
  REJECT: "Rejected",
  RESTORE: "Restored",
  KEEP: "Reviewed, kept",
  AUTO_HIDE: "Hidden automatically",
  REQUEUE_EDIT: "Sent back for review after an edit",
  APPEAL_UPHELD: "Appeal upheld",
  APPEAL_DENIED: "Appeal denied",
  ROLE_CHANGE: "Role changed",
  SUSPEND: "Suspended",
  UNSUSPEND: "Suspension lifted",
  EXPORT: "Research export",
  ARTICLE_CREATE: "Article added",
  ARTICLE_REVISE: "Article revised",
  UNDO: "Decision undone",
  REATTACH: "Orphan re-attached",
};

export const LOG_ACTIONS = Object.keys(ACTION_LABEL);

export const APPEAL_STATUS_LABEL: Record<string, string> = {
  OPEN: "Open — a moderator will review it",
  UPHELD: "Upheld — your contribution was restored",
  DENIED: "Denied — the decision stands",
};

export const ROLE_LABEL: Record<string, string> = {
  READER: "Reader",
  MODERATOR: "Moderator",
  ADMIN: "Admin",
  RESEARCHER: "Researcher",
};

export const KIND_SHORT: Record<string, string> = {
  ANNOTATION: "Annotation",
  COUNTERPOINT: "Counterpoint",
  SOURCE: "Source",
};

const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const utcDate = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** "27 Nov 2026, 14:03 UTC". */
export function formatUtc(iso: string): string {
  return `${utc.format(new Date(iso))} UTC`;
}

export function formatUtcDate(iso: string): string {
  return utcDate.format(new Date(iso));
}

/** "3 days", "5 hours", "2 years": how long ago `iso` was, relative to `now`. */
export function age(iso: string, now = Date.now()): string {
  const ms = Math.max(0, now - new Date(iso).getTime());
  const units: [number, string][] = [
    [365 * 24 * 3600e3, "year"],
    [30 * 24 * 3600e3, "month"],
    [24 * 3600e3, "day"],
    [3600e3, "hour"],
    [60e3, "minute"],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"}`;
  }
  return "less than a minute";
}

// Its own module, so the article page's first load (./discussion/labels.ts) takes it without these tables.
export { shorten } from "./shorten";
