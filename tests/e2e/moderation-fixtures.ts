/**
 * Helpers for the moderation specs: staff accounts, the queue, the audit log and axe.
 *
 * Staff: a fresh e2e database has no moderator and no admin, and the app offers no way to
 * become one (by design). scripts/e2e-server.mjs creates the suite's two staff accounts with
 * the operator CLI (scripts/create-user.mts) before the server opens the database; the specs
 * sign in as those. Readers and authors are signed up fresh by each test.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import type { TestUser } from "./fixtures";

export type StaffRole = "MODERATOR" | "ADMIN";
export type Staff = Pick<TestUser, "name" | "email" | "password">;

const STAFF_PASSWORD = process.env.E2E_STAFF_PASSWORD ?? "e2e-staff-password";

/** The staff accounts seeded by scripts/e2e-server.mjs. */
export const STAFF: Record<StaffRole, Staff> = {
  ADMIN: { name: "E2E Admin", email: "e2e-admin@example.test", password: STAFF_PASSWORD },
  MODERATOR: { name: "E2E Moderator", email: "e2e-moderator@example.test", password: STAFF_PASSWORD },
};

/** The paragraph (1-based) each moderation spec writes to; none is used by the other specs. */
export const MOD_PARAGRAPH = {
  flow: 4,
  preModeration: 6,
  accessibility: 8,
  bulk: 10,
  people: 11,
} as const;

/** The queue, narrowed to one author (each test's authors are unique), so other tests' items never show. */
export async function openQueueFor(page: Page, authorName: string): Promise<void> {
  await page.goto(`/admin?author=${encodeURIComponent(authorName)}`);
  await expect(page.getByRole("heading", { level: 1, name: "Moderation queue" })).toBeVisible();
  // The shortcuts listen once the queue is hydrated.
  await expect(page.locator('[data-queue-ready="true"]')).toBeVisible();
}

/** One item of the moderation queue, by contribution id. */
export function queueItem(page: Page, contributionId: string) {
  return page.locator(`[data-queue-item="${contributionId}"]`);
}

/** The audit log's actions for one contribution, newest first, as shown in the table. */
export async function logActions(page: Page, contributionId: string): Promise<string[]> {
  await page.goto(`/admin/log?contribution=${contributionId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  return page.locator("tr[data-log-action]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-log-action") ?? ""));
}

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Serious and critical WCAG 2.1 A/AA violations, one line per rule and node. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map(
        (n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(" ")} — ${n.html.slice(0, 160)} — ${n.failureSummary ?? ""}`,
      ),
    );
}
