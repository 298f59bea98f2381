import { getDb } from "@/lib/db/client";

export interface MonthStats {
  month: string; // YYYY-MM
  contributions: number;
  flags: number;
  decisions: Record<string, number>;
}

/**
 * Public moderation statistics per month (UTC): counts only, no names.
 *
 * Each decision counts once. Deciding an appeal writes two log entries in one transaction — the
 * decision that changes the status (RESTORE, or HIDE/REJECT/KEEP) and APPEAL_UPHELD or
 * APPEAL_DENIED — so a decision entry followed by an appeal entry on the same contribution from
 * the same moderator within a second counts under the appeal's column only. A decision its moderator
 * took back (UNDO, docs/decisions/0039) does not count, and neither does the undo: only decisions
 * that stand.
 */
export async function monthlyStats(months = 12): Promise<MonthStats[]> {
  const db = await getDb();
  const since = new Date();
  since.setUTCDate(1);
  since.setUTCHours(0, 0, 0, 0);
  since.setUTCMonth(since.getUTCMonth() - (months - 1));
  const [contribs, flags, decisions] = await Promise.all([
    db.$queryRaw<{ month: string; n: number }[]>`
      SELECT to_char(date_trunc('month', "createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS n
      FROM "Contribution" WHERE "createdAt" >= ${since} GROUP BY 1`,
    db.$queryRaw<{ month: string; n: number }[]>`
      SELECT to_char(date_trunc('month', "createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, count(*)::int AS n
      FROM "Flag" WHERE "createdAt" >= ${since} GROUP BY 1`,
    db.$queryRaw<{ month: string; action: string; n: number }[]>`
      SELECT to_char(date_trunc('month', l."createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, l.action::text AS action, count(*)::int AS n
      FROM "ModerationLog" l
      WHERE l."createdAt" >= ${since} AND l."contributionId" IS NOT NULL
        AND l.action NOT IN ('FLAG', 'APPEAL', 'UNDO')
        AND NOT EXISTS (
          SELECT 1 FROM "ModerationLog" u
          WHERE u.action = 'UNDO' AND u.details->>'undoes' = COALESCE(l.details->'undo'->>'batch', l.details->>'batch'))
        AND (l.action IN ('APPEAL_UPHELD', 'APPEAL_DENIED') OR NOT EXISTS (
          SELECT 1 FROM "ModerationLog" a
          WHERE a."contributionId" = l."contributionId" AND a.action IN ('APPEAL_UPHELD', 'APPEAL_DENIED')
            AND a."actorId" IS NOT DISTINCT FROM l."actorId"
            AND a."createdAt" >= l."createdAt" AND a."createdAt" < l."createdAt" + interval '1 second'))
      GROUP BY 1, 2`,
  ]);
  const out = new Map<string, MonthStats>();
  const get = (m: string) => {
    let s = out.get(m);
    if (!s) out.set(m, (s = { month: m, contributions: 0, flags: 0, decisions: {} }));
    return s;
  };
  for (let i = 0; i < months; i++) {
    const d = new Date(since);
    d.setUTCMonth(since.getUTCMonth() + i);
    get(d.toISOString().slice(0, 7));
  }
  for (const r of contribs) get(r.month).contributions = Number(r.n);
  for (const r of flags) get(r.month).flags = Number(r.n);
  for (const r of decisions) get(r.month).decisions[r.action] = Number(r.n);
  return [...out.values()].sort((a, b) => b.month.localeCompare(a.month));
}
