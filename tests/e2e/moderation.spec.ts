import type { Locator, Page } from "@playwright/test";
import {
  ARTICLE_SLUG,
  ArticlePage,
  createContribution,
  createUser,
  e2eArticlePath,
  e2eArticleSlug,
  expect,
  siteHeader,
  signIn,
  test,
  wholeParagraph,
  type ContributionJson,
  type TestUser,
} from "./fixtures";
import { logActions, MOD_PARAGRAPH, openQueueFor, queueItem, seriousViolations, STAFF } from "./moderation-fixtures";

/** Signs `user` in on a fresh page and posts one contribution to paragraph `n` through the API. */
async function writeAs(page: Page, user: TestUser, n: number, body: string, kind: "ANNOTATION" | "COUNTERPOINT" = "COUNTERPOINT"): Promise<ContributionJson> {
  const article = new ArticlePage(page);
  await article.goto();
  const target = await article.target(n);
  return createContribution(page.request, {
    anchorId: target.anchorId,
    versionId: target.versionId,
    kind,
    body,
    selector: wholeParagraph(target.text),
  });
}

/** The contribution as `page`'s reader sees it in paragraph `n`'s discussion (count 0 if hidden). */
async function inDiscussion(page: Page, n: number, id: string, path?: string): Promise<Locator> {
  const article = new ArticlePage(page, path);
  await article.goto();
  const panel = await article.openDiscussion(n);
  return panel.locator(`[data-contribution-id="${id}"]`);
}

test.describe("who may moderate", () => {
  test("signed out: sent to sign in; a reader: no access, no link, and the API refuses", async ({ page, request }) => {
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin$/);

    const reader = await createUser(request, "Curious");
    await signIn(page, reader);
    for (const path of ["/admin", "/admin/log", "/admin/users"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("You don’t have access");
    }
    await expect(siteHeader(page).getByRole("link", { name: "Moderation" })).toHaveCount(0);
    await expect(siteHeader(page).getByRole("link", { name: "My contributions" })).toBeVisible();
    expect((await page.request.get("/api/admin/queue")).status()).toBe(403);
    expect((await page.request.get("/api/admin/log")).status()).toBe(403);
  });

  test("a moderator works the queue and the log, but only an admin manages people", async ({ page }) => {
    await signIn(page, STAFF.MODERATOR);
    await page.goto("/");
    await siteHeader(page).getByRole("link", { name: "Moderation" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Moderation queue");
    const sub = page.getByRole("navigation", { name: "Moderation" });
    await expect(sub.getByRole("link", { name: "Queue" })).toHaveAttribute("aria-current", "page");
    await expect(sub.getByRole("link", { name: "People" })).toHaveCount(0);
    await sub.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
    await page.goto("/admin/users");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You don’t have access");
    expect((await page.request.get("/api/admin/users")).status()).toBe(403);
    // Article policies are an admin's choice too.
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Article moderation policy" })).toHaveCount(0);
  });
});

test("report, keyboard hide with a reason, appeal, upheld: each step seen by reader, author and the audit log", async ({
  page,
  request,
  newPage,
}) => {
  test.slow(); // Three people, a dozen page loads.
  const N = MOD_PARAGRAPH.flow;
  const author = await createUser(request, "Author");
  const reader = await createUser(request, "Reader");
  const moderator = STAFF.MODERATOR;
  const reason = "Advertising is not a counterpoint (spam).";
  const appeal = "The link is the price list the article's claim is about.";

  const authorPage = await newPage();
  await signIn(authorPage, author);
  const c = await writeAs(authorPage, author, N, "Cheap watches at example.org, best prices!");

  // 1. The reader reports it.
  await signIn(page, reader);
  let seen = await inDiscussion(page, N, c.id);
  await seen.getByRole("button", { name: "Report this counterpoint" }).click();
  await seen.getByRole("radio", { name: /^Spam/ }).check();
  await seen.getByLabel("Note for the moderators (optional)").fill("Selling watches.");
  await seen.getByRole("button", { name: "Send report" }).click();
  await expect(seen.getByRole("status")).toHaveText("Reported — moderators will review it.");
  // After a reload the reader is told they reported it, instead of being offered a second report;
  // a second report by the same reader is refused (409) by the API.
  seen = await inDiscussion(page, N, c.id);
  await expect(seen.locator("[data-reported]")).toHaveText("You reported this — moderators will review it.");
  await expect(seen.getByRole("button", { name: "Report this counterpoint" })).toHaveCount(0);
  const again = await page.request.post(`/api/contributions/${c.id}/flags`, { data: { reason: "OFF_TOPIC" } });
  expect(again.status()).toBe(409);
  expect(((await again.json()) as { error: { message: string } }).error.message).toBe("You have already flagged this; moderators will review it.");
  // Nobody can report their own.
  const ownView = await inDiscussion(authorPage, N, c.id);
  await expect(ownView).toBeVisible();
  await expect(ownView.getByRole("button", { name: /^Report/ })).toHaveCount(0);

  // 2. The moderator finds it in the queue and hides it with the keyboard.
  const modPage = await newPage();
  await signIn(modPage, moderator);
  await openQueueFor(modPage, author.name);
  const row = queueItem(modPage, c.id);
  await expect(row).toContainText("1 open report");
  await expect(row).toContainText("Spam");
  await expect(row).toContainText("Selling watches.");
  await expect(row).toContainText("Cheap watches at example.org, best prices!");
  await expect(row).toContainText("Account age:");
  await expect(row.getByRole("button", { name: "Publish" })).toHaveCount(0); // not offered for a published one
  await modPage.keyboard.press("j");
  await expect(row).toBeFocused();
  await expect(row).toHaveAttribute("data-current", "true");
  await modPage.keyboard.press("h");
  const box = row.getByLabel("Reason for hiding (the author will read it)");
  await expect(box).toBeFocused();
  // A common reason fills the box and can still be edited; this moderator writes their own.
  await row.getByRole("group", { name: "Common reasons (fill the box, still editable)" }).getByRole("button", { name: "Advertising or spam." }).click();
  await expect(box).toHaveValue("Advertising or spam.");
  await expect(box).toBeFocused();
  await box.fill("");
  await modPage.keyboard.type(reason);
  await modPage.keyboard.press("Enter");
  await expect(row).toHaveCount(0);
  await expect(modPage.getByText("Nothing is waiting for a decision with these filters.")).toBeVisible();

  // 3. Readers no longer see it, signed in or not; its author does, labelled, with the reason.
  await expect(await inDiscussion(page, N, c.id)).toHaveCount(0);
  const anonymous = await newPage();
  await expect(await inDiscussion(anonymous, N, c.id)).toHaveCount(0);
  const labelled = await inDiscussion(authorPage, N, c.id);
  await expect(labelled).toContainText("Hidden");
  await expect(labelled).toContainText(`Moderator’s reason: ${reason}`);

  // 4. The author reads the reason on "My contributions" and appeals, once.
  await authorPage.goto("/");
  await siteHeader(authorPage).getByRole("link", { name: "My contributions" }).click();
  await expect(authorPage.getByRole("heading", { level: 1 })).toHaveText("My contributions");
  const mine = authorPage.locator(`article[data-contribution-id="${c.id}"]`);
  await expect(mine).toContainText("Hidden");
  await expect(mine).toContainText(`Reason: ${reason}`);
  await mine.getByRole("button", { name: "Appeal this decision" }).click();
  await mine.getByLabel("Your appeal").fill(appeal);
  await mine.getByRole("button", { name: "Send appeal" }).click();
  await expect(mine).toContainText("Your appeal: Open — a moderator will review it");
  await expect(mine.getByRole("button", { name: "Appeal this decision" })).toHaveCount(0);

  // 5. The appeal is back in the queue; the moderator upholds it.
  await openQueueFor(modPage, author.name);
  await expect(row).toContainText(appeal);
  await expect(row).toContainText("Hidden");
  // Upholding asks for a confirmation (with an optional reason for the log) before it restores.
  await row.getByRole("button", { name: "Uphold appeal (restore)" }).click();
  const upholdReason = row.getByLabel("Reason for upholding the appeal (optional, kept in the audit log)");
  await expect(upholdReason).toBeFocused();
  await expect(row).toContainText("Hidden");
  await modPage.keyboard.type("Quoting the article is fair.");
  await row.getByRole("button", { name: "Confirm: uphold and restore" }).click();
  await expect(row).toHaveCount(0);

  // Visible again to readers; the author sees the outcome.
  await expect(await inDiscussion(page, N, c.id)).toBeVisible();
  await authorPage.reload();
  await expect(mine).toContainText("Published");
  await expect(mine).toContainText("Your appeal: Upheld — your contribution was restored");

  // 6. The audit log, newest first: all four steps (report, hide, appeal, restore) in order;
  // the upheld appeal is recorded with the restore it caused.
  const actions = await logActions(modPage, c.id);
  expect(actions).toEqual(["APPEAL_UPHELD", "RESTORE", "APPEAL", "HIDE", "FLAG"]);
  await expect(modPage.locator('tr[data-log-action="FLAG"]')).toContainText(reader.name);
  await expect(modPage.locator('tr[data-log-action="APPEAL"]')).toContainText(author.name);
  const hide = modPage.locator('tr[data-log-action="HIDE"]');
  await expect(hide).toContainText(moderator.name);
  await expect(hide).toContainText("Published → Hidden");
  await expect(hide).toContainText(reason);
  await expect(hide).toContainText(author.name);
  await expect(modPage.locator('tr[data-log-action="RESTORE"]')).toContainText("Hidden → Published");
  await expect(modPage.locator('tr[data-log-action="APPEAL_UPHELD"]')).toContainText("Quoting the article is fair.");
  // The quote links to the paragraph.
  await expect(hide.getByRole("link", { name: /^“/ })).toHaveAttribute("href", new RegExp(`^/articles/${ARTICLE_SLUG}#`));
});

test("bulk decisions: a stale item stops the whole batch and is shown; three reports hide automatically", async ({
  page,
  request,
  newPage,
  consoleGuard,
}) => {
  test.slow(); // Five people.
  consoleGuard.allowFailedRequest(409, /\/api\/admin\/decisions$/);
  const N = MOD_PARAGRAPH.bulk;
  const author = await createUser(request, "Bulkauthor");
  const moderator = STAFF.MODERATOR;
  const authorPage = await newPage();
  await signIn(authorPage, author);
  const first = await writeAs(authorPage, author, N, "First of two, reported once.", "ANNOTATION");
  const second = await writeAs(authorPage, author, N, "Second of two, reported three times.", "ANNOTATION");

  // Three different readers report the second: it is hidden pending review. One reports the first.
  for (let i = 0; i < 3; i++) {
    const r = await createUser(request, `Flagger${i}`);
    const p = await newPage();
    await signIn(p, r);
    const res = await p.request.post(`/api/contributions/${second.id}/flags`, { data: { reason: "OFF_TOPIC" } });
    expect(res.status()).toBe(201);
    expect(((await res.json()) as { autoHidden: boolean }).autoHidden).toBe(i === 2);
    if (i === 0) {
      expect((await p.request.post(`/api/contributions/${first.id}/flags`, { data: { reason: "OTHER", note: "Unclear." } })).status()).toBe(201);
    }
  }

  await signIn(page, moderator);
  await openQueueFor(page, author.name);
  const one = queueItem(page, first.id);
  const two = queueItem(page, second.id);
  await expect(two).toContainText("Hidden");
  await expect(two).toContainText("3 open reports");
  await expect(two).toContainText("Hidden automatically after 3 reports");
  await expect(one).toContainText("Published");

  // Meanwhile the author edits the first: what the moderator sees is now out of date.
  const edit = await authorPage.request.patch(`/api/contributions/${first.id}`, {
    data: { version: first.version, body: "First of two, edited after the report." },
  });
  expect(edit.status()).toBe(200);

  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(page.getByText("2 selected")).toBeVisible();
  // "Publish" is not possible for either; "Reviewed, keep" not for the hidden one.
  await expect(page.getByRole("button", { name: "Publish selected" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Reviewed, keep selected" })).toBeDisabled();
  await page.getByRole("button", { name: "Reject selected" }).click();
  await expect(page.getByText("Give a reason to reject: the authors will read it.")).toBeVisible();
  await page.getByLabel(/^Reason for all selected/).fill("Not about the passage.");
  await page.getByRole("button", { name: "Reject selected" }).click();
  const bulkStatus = page.getByRole("status").filter({ hasText: "Nothing was applied" });
  await expect(bulkStatus).toContainText("1 of 2 contributions changed since you loaded them.");
  await expect(bulkStatus).toContainText(`Annotation by ${author.name} (“First of two, reported once.”)`);
  await expect(bulkStatus).toContainText("Now: Published, 1 open report.");
  // The rows were reloaded: the edit is on screen, and both are still selected.
  await expect(one).toContainText("First of two, edited after the report.");
  await expect(page.getByText("2 selected")).toBeVisible();
  await page.getByRole("button", { name: "Reject selected" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rejected: 2 contributions." })).toBeVisible();
  await expect(one).toHaveCount(0);
  await expect(two).toHaveCount(0);

  // The log: the automatic hide by "system", then the rejections.
  const actions = await logActions(page, second.id);
  expect(actions.filter((a) => a !== "FLAG")).toEqual(["REJECT", "AUTO_HIDE"]);
  expect(actions.filter((a) => a === "FLAG")).toHaveLength(3);
  await expect(page.locator('tr[data-log-action="AUTO_HIDE"]')).toContainText("system");
  await expect(page.locator('tr[data-log-action="REJECT"]')).toContainText("Hidden → Rejected");
  expect(await logActions(page, first.id)).toEqual(["REJECT", "FLAG"]);
});

test("pre-moderation: a new contribution is seen only by its author until a moderator publishes it", async ({
  page,
  request,
  newPage,
}) => {
  // The spec's own copy of the op-ed: switching the whole article to pre-moderation touches no other spec.
  const slug = e2eArticleSlug("moderation");
  const path = e2eArticlePath("moderation");
  const article = new ArticlePage(page, path);
  test.slow(); // Five people, each looking at the article.
  const N = MOD_PARAGRAPH.preModeration;
  const admin = STAFF.ADMIN;
  const moderator = STAFF.MODERATOR;
  const writer = await createUser(request, "Prewriter");
  const other = await createUser(request, "Prereader");
  const body = `Held for review ${Date.now()}.`;

  const adminPage = await newPage();
  await signIn(adminPage, admin);
  await adminPage.goto("/admin");
  const policies = adminPage
    .getByRole("region", { name: "Article moderation policy" })
    .getByRole("group", { name: /^E2E copy \(moderation\):/ })
    .locator("xpath=ancestor::form");
  await expect(policies).toContainText("Now: Post-moderation");
  await policies.getByRole("radio", { name: /^Pre-moderation/ }).check();
  await policies.getByRole("button", { name: /^Save policy/ }).click();
  await expect(policies.getByRole("status")).toHaveText("Saved: Pre-moderation.");
  await expect(policies).toContainText("Now: Pre-moderation");
  try {
    // Reader A writes through the form: it is posted, labelled as waiting.
    await signIn(page, writer);
    await article.goto();
    const panel = await article.openForm(N);
    await panel.getByLabel("Your annotation").fill(body);
    await panel.getByRole("button", { name: "Post annotation" }).click();
    const posted = panel.getByRole("article").filter({ hasText: body });
    await expect(posted).toContainText("Pending review");
    await expect(posted).toContainText("Only you and the moderators can see this");
    const id = (await posted.getAttribute("data-contribution-id"))!;
    await page.reload();
    await expect(await inDiscussion(page, N, id, path)).toContainText("Pending review");

    // Reader B and a visitor do not see it.
    const otherPage = await newPage();
    await signIn(otherPage, other);
    await expect(await inDiscussion(otherPage, N, id, path)).toHaveCount(0);
    const anonymous = await newPage();
    await expect(await inDiscussion(anonymous, N, id, path)).toHaveCount(0);
    expect((await anonymous.request.post(`/api/contributions/${id}/flags`, { data: { reason: "SPAM" } })).status()).toBe(401);

    // A moderator publishes it.
    const modPage = await newPage();
    await signIn(modPage, moderator);
    await openQueueFor(modPage, writer.name);
    const row = queueItem(modPage, id);
    await expect(row).toContainText("Pending review");
    await expect(row).toContainText(body);
    await row.getByRole("button", { name: "Publish" }).click();
    await expect(row).toHaveCount(0);

    // Now everyone sees it, and its author no longer sees a label.
    await expect(await inDiscussion(otherPage, N, id, path)).toContainText(body);
    await expect(await inDiscussion(anonymous, N, id, path)).toContainText(body);
    const own = await inDiscussion(page, N, id, path);
    await expect(own).toContainText(body);
    await expect(own).not.toContainText("Pending review");
    expect(await logActions(modPage, id)).toEqual(["PUBLISH"]);
  } finally {
    const res = await adminPage.request.patch(`/api/admin/articles/${slug}`, { data: { moderationPolicy: "POST_MODERATION" } });
    expect(res.status(), await res.text()).toBe(200);
  }
});

test("an admin changes a role, suspends with hiding and lifts the suspension; all of it is logged", async ({ page, request, newPage }) => {
  const N = MOD_PARAGRAPH.people;
  const admin = STAFF.ADMIN;
  const person = await createUser(request, "Person");
  const personPage = await newPage();
  await signIn(personPage, person);
  const c = await writeAs(personPage, person, N, "Something the person wrote.", "ANNOTATION");

  await signIn(page, admin);
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Moderation" }).getByRole("link", { name: "People" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("People");
  await page.getByRole("searchbox", { name: "Name or email" }).fill(person.email);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const row = page.locator(`tr[data-user-id="${person.id}"]`);
  await expect(row).toContainText(person.email);
  await expect(row).toContainText("Active");

  // Role.
  await row.getByRole("combobox", { name: `Role of ${person.name}` }).selectOption("MODERATOR");
  await row.getByRole("button", { name: `Save role of ${person.name}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${person.name}: Role saved: Moderator.` })).toBeVisible();
  await personPage.goto("/");
  await expect(siteHeader(personPage).getByRole("link", { name: "Moderation" })).toBeVisible();

  // Suspension, hiding what they published.
  await row.getByRole("button", { name: `Suspend ${person.name}` }).click();
  await page.getByRole("button", { name: `Suspend ${person.name}`, exact: true }).click();
  await expect(page.getByText("Give a reason; it is kept in the audit log.")).toBeVisible();
  await page.getByLabel("Reason (kept in the audit log)").fill("Repeated harassment of other readers.");
  await page.getByRole("checkbox", { name: /^Also hide their published contributions/ }).check();
  await page.getByRole("button", { name: `Suspend ${person.name}`, exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Suspended. 1 published contribution hidden." })).toBeVisible();
  await expect(row).toContainText("Suspended");
  await expect(row).toContainText("indefinitely");
  // Their session stops at once; what they wrote is hidden.
  await personPage.reload();
  await expect(siteHeader(personPage).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(await inDiscussion(personPage, N, c.id)).toHaveCount(0);

  await row.getByRole("button", { name: `Lift suspension of ${person.name}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Suspension lifted." })).toBeVisible();
  await expect(row).toContainText("Active");

  // The log for this person, newest first.
  await page.goto(`/admin/log?target=${person.id}`);
  const actions = await page.locator("tr[data-log-action]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-log-action")));
  expect(actions[0]).toBe("UNSUSPEND");
  expect([...actions.slice(1, 3)].sort()).toEqual(["HIDE", "SUSPEND"]);
  expect(actions[3]).toBe("ROLE_CHANGE");
  await expect(page.locator('tr[data-log-action="ROLE_CHANGE"]')).toContainText("Reader → Moderator");
  await expect(page.locator('tr[data-log-action="SUSPEND"]')).toContainText("Repeated harassment of other readers.");
});

test("a moderator undoes a hide from the queue with the keyboard; an item edited after hiding shows what changed", async ({ page, newPage }) => {
  test.slow(); // Three people.
  const N = 3;
  const slug = e2eArticleSlug("undo");
  const path = e2eArticlePath("undo");
  const author = await createUser(page.request, "Undone");
  const reader = await createUser(page.request, "Undoreporter");
  const authorPage = await newPage();
  await signIn(authorPage, author);
  const authorArticle = new ArticlePage(authorPage, path);
  await authorArticle.goto();
  const t = await authorArticle.target(N);
  const c = await createContribution(
    authorPage.request,
    { ...t, kind: "COUNTERPOINT", body: "The sanctions were never meant for exiles, and said so.", selector: wholeParagraph(t.text) },
    slug,
  );
  const readerPage = await newPage();
  await signIn(readerPage, reader);
  expect((await readerPage.request.post(`/api/contributions/${c.id}/flags`, { data: { reason: "MISINFORMATION" } })).status()).toBe(201);

  // Hidden by mistake, with the keyboard…
  await signIn(page, STAFF.MODERATOR);
  await openQueueFor(page, author.name);
  const row = queueItem(page, c.id);
  await page.keyboard.press("j");
  await expect(row).toBeFocused();
  await page.keyboard.press("h");
  await page.keyboard.type("Misleading about the sanctions.");
  await page.keyboard.press("Enter");
  await expect(row).toHaveCount(0);
  const last = page.locator("[data-last-decision]");
  await expect(last).toContainText(`Hidden: Counterpoint by ${author.name}`);
  await expect(last.getByRole("button", { name: "Undo the last decision" })).toBeVisible();
  // …and undone with "u": back in the queue with its report, published for readers again.
  await page.keyboard.press("u");
  await expect(last).toContainText(`Undone: Hidden: Counterpoint by ${author.name}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("1 open report");
  await expect(await inDiscussion(readerPage, N, c.id, path)).toBeVisible();
  expect(await logActions(page, c.id)).toEqual(["UNDO", "HIDE", "FLAG"]);
  await expect(page.locator('tr[data-log-action="UNDO"]')).toContainText("Hidden → Published");

  // Hidden for good; the author rewrites it and appeals: the queue shows the hidden text against the new one.
  await openQueueFor(page, author.name);
  await row.getByRole("button", { name: "Hide" }).click();
  await row.getByLabel("Reason for hiding (the author will read it)").fill("Misleading about the sanctions.");
  await row.getByLabel("Reason for hiding (the author will read it)").press("Enter");
  await expect(row).toHaveCount(0);
  const current = (await (await authorPage.request.get(`/api/contributions/${c.id}`)).json()) as { path: ContributionJson[] };
  const edit = await authorPage.request.patch(`/api/contributions/${c.id}`, {
    data: { version: current.path[0]!.version, body: "The sanctions were not aimed at exiles, though they hit them." },
  });
  expect(edit.status(), await edit.text()).toBe(200);
  expect((await authorPage.request.post(`/api/contributions/${c.id}/appeal`, { data: { note: "I corrected it." } })).status()).toBe(201);
  await openQueueFor(page, author.name);
  const changed = row.getByRole("region", { name: "Changed since it was hidden" });
  await expect(changed).toContainText("Edited since it was hidden");
  const texts = (sel: string) => changed.locator(sel).evaluateAll((els) => els.map((e) => e.textContent).join(" "));
  expect(await texts("del")).toMatch(/never.*meant.*for/);
  expect(await texts("ins")).toMatch(/not.*aimed.*at/);
  expect(await seriousViolations(page)).toEqual([]);
});
