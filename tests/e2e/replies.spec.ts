/**
 * Replies: readers answer each other in a thread on one claim, three levels deep and flat below
 * that, with the keyboard; threads open on demand and page; a removed contribution stays as a
 * placeholder for its replies; a reply is rated, reported and moderated like any contribution.
 * The spec owns its article (e2e-replies), so counts are its own.
 */
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import {
  ArticlePage,
  createUser,
  e2eArticlePath,
  e2eArticleSlug,
  expect,
  signIn,
  test,
  wholeParagraph,
  type ContributionJson,
  type TestUser,
} from "./fixtures";
import { openQueueFor, queueItem, seriousViolations, STAFF } from "./moderation-fixtures";

const SLUG = e2eArticleSlug("replies");
const PATH = e2eArticlePath("replies");

type Reply = ContributionJson & { parentId: string | null; rootId: string | null; depth: number; replyCount: number };

async function reader(page: Page, label: string): Promise<{ user: TestUser; article: ArticlePage }> {
  const user = await createUser(page.request, label, `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`);
  await signIn(page, user);
  const article = new ArticlePage(page, PATH);
  await article.goto();
  return { user, article };
}

async function post(article: ArticlePage, n: number, body: string, kind: "ANNOTATION" | "COUNTERPOINT" = "COUNTERPOINT"): Promise<Reply> {
  const t = await article.target(n);
  const res = await article.page.request.post(`/api/articles/${SLUG}/contributions`, {
    data: { anchorId: t.anchorId, versionId: t.versionId, kind, body, selector: wholeParagraph(t.text) },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { contribution: Reply }).contribution;
}

async function replyTo(request: APIRequestContext, parentId: string, body: string, kind = "ANNOTATION"): Promise<Reply> {
  const res = await request.post(`/api/contributions/${parentId}/replies`, { data: { kind, body } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { contribution: Reply }).contribution;
}

const itemSelector = (id: string) => `article[data-contribution-id="${id}"]`;
const item = (scope: Locator | Page, id: string) => scope.locator(itemSelector(id));
/** The list entry of a contribution: the item, its reply controls and its replies (its own li: the innermost). */
const entry = (scope: Locator, id: string) => scope.locator("li").filter({ has: scope.page().locator(itemSelector(id)) }).last();

async function left(l: Locator): Promise<number> {
  const box = await l.boundingBox();
  if (!box) throw new Error("not visible");
  return box.x;
}

test("two readers answer each other four levels deep with the keyboard; the tree indents three levels and then says whom a reply answers", async ({
  page,
  newPage,
}) => {
  test.setTimeout(120_000);
  const N = 2;
  const alicePage = await newPage();
  const alice = await reader(alicePage, "Alice");
  const root = await post(alice.article, N, "Exiles are not a security risk by default.");

  // Bob opens the paragraph: one counterpoint, no replies yet; he answers it with the keyboard.
  const bob = await reader(page, "Bob");
  let panel = await bob.article.openDiscussion(N);
  const reply = panel.getByRole("button", { name: `Reply to ${alice.user.name}’s counterpoint` });
  await reply.focus();
  await page.keyboard.press("Enter");
  const form = panel.getByRole("form", { name: `Reply to ${alice.user.name}` });
  const body = form.getByLabel("Your reply");
  await expect(body).toBeFocused();
  await form.getByRole("radio", { name: "Counterpoint" }).check();
  await form.getByLabel("Your counterpoint to it").fill("Some are, and the checks exist for that reason.");
  await form.getByRole("button", { name: "Post reply" }).press("Enter");
  const bobReply = panel.getByRole("article", { name: `Counterpoint reply by ${bob.user.name}` });
  await expect(bobReply).toBeFocused();
  await expect(bobReply).toContainText("Some are, and the checks exist for that reason.");
  await expect(panel.getByRole("button", { name: /^Hide replies to/ })).toHaveAttribute("aria-expanded", "true");
  const r1 = (await bobReply.getAttribute("data-contribution-id"))!;
  // The margin's counts include the reply.
  await expect(bob.article.discussButton(N)).toHaveAccessibleName(/2 counterpoints/);

  // Alice answers Bob in her page; Bob answers her; she answers again (through the API, same rules).
  await alice.article.goto();
  const alicePanel = await alice.article.openDiscussion(N);
  await alicePanel.getByRole("button", { name: `Show 1 reply to ${alice.user.name}’s counterpoint` }).click();
  await alicePanel.getByRole("button", { name: `Reply to ${bob.user.name}’s reply` }).click();
  await alicePanel.getByLabel("Your reply").fill("The checks are the point I question.");
  await alicePanel.getByRole("button", { name: "Post reply" }).click();
  const r2 = (await alicePanel.getByRole("article", { name: `Reply by ${alice.user.name}` }).getAttribute("data-contribution-id"))!;
  const r3 = await replyTo(page.request, r2, "Then say which check is wrong.");
  const r4 = await replyTo(alicePage.request, r3.id, "The one that bans bank accounts.");
  expect([r3.depth, r4.depth, r4.rootId]).toEqual([3, 4, root.id]);

  // Bob reloads: the thread is collapsed; he opens each level.
  await bob.article.goto();
  panel = await bob.article.openDiscussion(N);
  await expect(panel.getByRole("listitem")).toHaveCount(1);
  for (const [id, who] of [
    [root.id, `${alice.user.name}’s counterpoint`],
    [r1, `${bob.user.name}’s reply`],
    [r2, `${alice.user.name}’s reply`],
    [r3.id, `${bob.user.name}’s reply`],
  ] as const) {
    await entry(panel, id).getByRole("button", { name: `Show 1 reply to ${who}` }).first().click();
    await expect(entry(panel, id).getByRole("button", { name: `Hide replies to ${who}` }).first()).toHaveAttribute("aria-expanded", "true");
  }
  const x = [await left(item(panel, root.id)), await left(item(panel, r1)), await left(item(panel, r2)), await left(item(panel, r3.id)), await left(item(panel, r4.id))];
  expect(x[1]).toBeGreaterThan(x[0]!);
  expect(x[2]).toBeGreaterThan(x[1]!);
  expect(x[3]).toBeGreaterThan(x[2]!);
  expect(x[4]).toBe(x[3]); // flat below three levels…
  await expect(item(panel, r4.id)).toContainText(`in reply to ${bob.user.name}`); // …saying whom it answers
  await expect(item(panel, r3.id)).not.toContainText("in reply to");
  expect(await seriousViolations(page)).toEqual([]);

  // A third reader rates Bob's reply like any contribution.
  const carolPage = await newPage();
  const carol = await reader(carolPage, "Carol");
  const carolPanel = await carol.article.openDiscussion(N);
  await carolPanel.getByRole("button", { name: `Show 1 reply to ${alice.user.name}’s counterpoint` }).click();
  const rated = item(carolPanel, r1);
  await rated.getByRole("button", { name: "Rate this counterpoint" }).click();
  await rated.getByRole("radio", { name: "Helpful", exact: true }).check();
  await rated.getByRole("button", { name: "Save rating" }).click();
  await expect(rated.getByRole("status")).toContainText("You rated this helpful.");

  // Alice deletes the root: it stays as a placeholder, and the replies keep their context.
  await alice.article.goto();
  const mine = await alice.article.openDiscussion(N);
  await item(mine, root.id).getByRole("button", { name: "Delete your counterpoint" }).click();
  await item(mine, root.id).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(item(mine, root.id)).toHaveText("Removed by its author.");
  await carol.article.goto();
  const after = await carol.article.openDiscussion(N);
  await expect(item(after, root.id)).toHaveText("Removed by its author.");
  await entry(after, root.id).getByRole("button", { name: "Show 1 reply to this removed contribution" }).click();
  await expect(item(after, r1)).toContainText("Some are, and the checks exist for that reason.");
  await expect(entry(after, root.id).getByRole("button", { name: /^Reply to/ })).toHaveCount(1); // Bob's reply only
});

test("a long thread opens 20 replies at a time, oldest first", async ({ page }) => {
  const N = 4;
  const { article } = await reader(page, "Pager");
  const root = await post(article, N, "A claim that draws many answers.", "ANNOTATION");
  const ids: string[] = [];
  for (let i = 0; i < 23; i++) ids.push((await replyTo(page.request, root.id, `Answer number ${i + 1}.`)).id);
  await article.goto();
  const panel = await article.openDiscussion(N);
  await panel.getByRole("button", { name: /^Show 23 replies to/ }).click();
  const list = panel.getByRole("list", { name: /^Replies to/ });
  await expect(list.getByRole("article")).toHaveCount(20);
  await expect(list.getByRole("article").first()).toContainText("Answer number 1.");
  await panel.getByRole("button", { name: /^Show more replies/ }).click();
  await expect(list.getByRole("article")).toHaveCount(23);
  await expect(list.getByRole("article").last()).toContainText("Answer number 23.");
  await expect(panel.getByRole("button", { name: /^Show more replies/ })).toHaveCount(0);
});

test("a reply is reported and moderated like any contribution; hidden, it leaves the thread", async ({ page, newPage }) => {
  const N = 6;
  const authorPage = await newPage();
  const author = await reader(authorPage, "Rooter");
  const root = await post(author.article, N, "A claim to be answered.");
  const replierPage = await newPage();
  const replier = await reader(replierPage, "Replier");
  const bad = await replyTo(replierPage.request, root.id, "Buy cheap watches here.");

  const flagger = await reader(page, "Flagger");
  let panel = await flagger.article.openDiscussion(N);
  await panel.getByRole("button", { name: /^Show 1 reply to/ }).click();
  const seen = item(panel, bad.id);
  await seen.getByRole("button", { name: "Report this annotation" }).click();
  await seen.getByRole("radio", { name: /^Spam/ }).check();
  await seen.getByRole("button", { name: "Send report" }).click();
  await expect(seen.getByRole("status")).toHaveText("Reported — moderators will review it.");

  // The moderator finds it in the queue and hides it.
  const modPage = await newPage();
  await signIn(modPage, STAFF.MODERATOR);
  await openQueueFor(modPage, replier.user.name);
  await expect(queueItem(modPage, bad.id)).toContainText("Buy cheap watches here.");
  // The moderator sees what the reply answers.
  const parent = queueItem(modPage, bad.id).locator("[data-queue-parent]");
  await expect(parent).toContainText(`A reply to the counterpoint by ${author.user.name}:`);
  await expect(parent).toContainText("A claim to be answered.");
  const current = (await (await replierPage.request.get(`/api/contributions/${root.id}/replies`)).json()) as { items: Reply[] };
  const version = current.items[0]!.version;
  const res = await modPage.request.post("/api/admin/decisions", { data: { decision: "HIDE", reason: "Spam.", items: [{ id: bad.id, version }] } });
  expect(res.status(), await res.text()).toBe(200);

  await flagger.article.goto();
  panel = await flagger.article.openDiscussion(N);
  await expect(item(panel, root.id)).toBeVisible();
  await expect(panel.getByRole("button", { name: /^Show 1 reply/ })).toHaveCount(0);
  // Its author still sees it, labelled, with the reason.
  await replier.article.goto();
  const own = await replier.article.openDiscussion(N);
  await own.getByRole("button", { name: /^Show 1 reply to/ }).click();
  await expect(item(own, bad.id)).toContainText("Hidden from readers by a moderator");
});
