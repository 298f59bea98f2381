import type { Db } from "@/lib/db/client";
import { publicBaseUrl } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { kickMailWorker } from "@/lib/mail/send-pending";
import { queueDigest } from "@/lib/mail/unsubscribe";
import { firstLineText } from "@/lib/text/render-body";
import { contributionPath, placedAnchor } from "@/lib/annotations/links";
import { outcomeText, STILL_THERE } from "./outcomes";

/** People handled per transaction. */
const BATCH = 100;
/** Lines in one digest; the rest is counted. */
const MAX_LINES = 20;


const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Queues the email digests that are due (docs/decisions/0041): for each person with digests on, a
 * confirmed address and unread notifications newer than their last digest, once a day or a week
 * as they chose — one email in the outbox (lib/mail), with one-click unsubscribe, in the same
 * transaction that records the digest as sent. Any instance may call it: an advisory lock lets one
 * work at a time. Returns how many people were due (each either got a digest or had nothing left to say).
 */
export async function sendDueDigests(db: Db, now = new Date()): Promise<number> {
  let queued = 0;
  for (;;) {
    const n = await db.$transaction(async (tx) => {
      const [lock] = await tx.$queryRaw<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('notifier:digests')) AS ok`;
      if (!lock?.ok) return 0;
      const due = await tx.$queryRaw<{ id: string; email: string; name: string; digestEmails: boolean; since: Date }[]>(Prisma.sql`
        SELECT u.id::text AS id, u.email, u.name, u."digestEmails", COALESCE(u."lastDigestAt", u."createdAt") AS since
        FROM "User" u
        WHERE u."digestEmails" AND u.status = 'ACTIVE' AND u."emailVerifiedAt" IS NOT NULL
          AND (u."lastDigestAt" IS NULL
               OR u."lastDigestAt" <= ${now}::timestamptz - CASE WHEN u."digestFrequency" = 'DAILY' THEN interval '1 day' ELSE interval '7 days' END)
          AND EXISTS (SELECT 1 FROM "Notification" n
                      WHERE n."userId" = u.id AND n."readAt" IS NULL AND n."createdAt" > COALESCE(u."lastDigestAt", u."createdAt"))
        ORDER BY u.id
        LIMIT ${BATCH}`);
      for (const u of due) {
        // The same rule as the list and the bell: news of what is still there.
        const where = {
          userId: u.id,
          readAt: null,
          createdAt: { gt: u.since },
          ...STILL_THERE,
        };
        // Done with this person until newer notifications arrive, whether or not there is anything to say.
        await tx.user.update({ where: { id: u.id }, data: { lastDigestAt: now } });
        const items = await tx.notification.findMany({
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: MAX_LINES + 1,
          select: {
            kind: true,
            detail: true,
            contribution: { select: { id: true, body: true, anchorId: true, placedAnchorId: true, parentId: true, author: { select: { name: true } }, article: { select: { slug: true } } } },
          },
        });
        const total = await tx.notification.count({ where });
        const base = publicBaseUrl();
        const lines = items.slice(0, MAX_LINES).map((n) => {
          const c = n.contribution;
          const text = clip(firstLineText(c.body), 140);
          if (n.kind === "MODERATION") return `- ${outcomeText(n.detail)}: “${text}” — ${base}/me/contributions`;
          const who = n.kind === "REPLY" ? `${c.author.name} replied to you` : `${c.author.name} ${c.parentId ? "replied in a thread" : "posted on something"} you follow`;
          return `- ${who}: “${text}” — ${base}${contributionPath(c.article.slug, placedAnchor(c), c.id)}`;
        });
        if (lines.length === 0) continue;
        if (total > lines.length) lines.push(`- and ${total - lines.length} more: ${base}/me/notifications`);
        const subject = total === 1 ? "1 new notification on Marginalia" : `${total} new notifications on Marginalia`;
        await queueDigest(tx, u, subject, [`What happened since your last digest:`, "", ...lines, "", `All of them: ${base}/me/notifications`]);
      }
      return due.length;
    });
    queued += n;
    if (n < BATCH) break;
  }
  if (queued) kickMailWorker();
  return queued;
}
