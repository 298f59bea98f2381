import { ARTICLE_PATH, ArticlePage, createContribution, createReply, createUser, e2eArticlePath, e2eArticleSlug, expect, signIn, test, wholeParagraph } from "./fixtures";
import { seriousViolations, STAFF } from "./moderation-fixtures";
import { canRunSecondInstance, startSecondInstance, type SecondInstance } from "./second-instance";

// The live margin: what one reader posts appears on another reader's open page without a reload.
const SLUG = e2eArticleSlug("live");
const PATH = e2eArticlePath("live");

test("a reply, a new contribution and a deletion by reader A appear on reader B's open page within a second", async ({ page, newPage, request }) => {
  const N = 2;
  const alice = await createUser(request, "Livealice");
  const bob = await createUser(request, "Livebob");
  await signIn(page, alice);
  const a = new ArticlePage(page, PATH);
  await a.goto();
  const t = await a.target(N);
  const root = await createContribution(page.request, { ...t, kind: "COUNTERPOINT", body: "Bob's thread starts here.", selector: wholeParagraph(t.text) }, SLUG);

  // Bob has the discussion open, the thread unfolded.
  const bobPage = await newPage();
  await signIn(bobPage, bob);
  const b = new ArticlePage(bobPage, PATH);
  await b.goto();
  await expect(bobPage.locator('[data-stream-state="live"]')).toBeVisible();
  await expect(bobPage.getByRole("status").filter({ hasText: "Live: new contributions appear as they are posted." })).toBeVisible();
  const bobPanel = await b.openDiscussion(N);
  const bobRoot = bobPanel.locator(`[data-contribution-id="${root.id}"]`);
  await expect(bobRoot).toBeVisible();

  // Alice answers it in her browser.
  const alicePanel = await a.openDiscussion(N);
  const aliceRoot = alicePanel.locator(`[data-contribution-id="${root.id}"]`);
  await expect(aliceRoot).toBeVisible();
  await alicePanel.getByRole("button", { name: `Reply to ${alice.name}’s counterpoint` }).click();
  await alicePanel.getByLabel("Your reply").fill("Alice answers, live.");
  await alicePanel.getByRole("button", { name: "Post reply" }).click();
  const posted = Date.now();
  // Bob's closed thread counts it at once; opened, it is there.
  const show = bobPanel.getByRole("button", { name: `Show 1 reply to ${alice.name}’s counterpoint` });
  await expect(show).toBeVisible({ timeout: 1000 });
  const arrival = Date.now() - posted;
  expect(arrival).toBeLessThan(1000);
  await show.click();
  await expect(bobPanel.getByText("Alice answers, live.")).toBeVisible();

  // With Bob's thread open, the next reply appears inside it; and a new contribution at the top, with the counts.
  const second = await createReply(page.request, root.id, "A second reply while Bob watches.");
  await expect(bobPanel.locator(`[data-contribution-id="${second.id}"]`)).toContainText("A second reply while Bob watches.", { timeout: 1000 });
  const fresh = await createContribution(page.request, { ...t, kind: "SOURCE", body: "A source, posted while Bob reads.", selector: wholeParagraph(t.text), source: { url: "https://example.org/live", stance: "SUPPORTS" } }, SLUG);
  await expect(bobPanel.locator("[data-contribution-id]").first()).toHaveAttribute("data-contribution-id", fresh.id, { timeout: 1000 });
  await expect(b.discussButton(N)).toHaveAccessibleName(`Discuss paragraph ${N}: 2 annotations, 1 counterpoint, 1 source`);
  await expect(bobPage.locator('[aria-live="polite"]').filter({ hasText: `New source by ${alice.name}.` })).toHaveCount(1);

  // Alice deletes the source: it leaves Bob's page.
  expect((await page.request.delete(`/api/contributions/${fresh.id}?version=${fresh.version}`)).status()).toBe(204);
  await expect(bobPanel.locator(`[data-contribution-id="${fresh.id}"]`)).toHaveCount(0, { timeout: 1000 });
  await expect(b.discussButton(N)).toHaveAccessibleName(`Discuss paragraph ${N}: 2 annotations, 1 counterpoint`);
});

test("offline, the page says so; back online it catches up on what was posted meanwhile", async ({ page, newPage, request, consoleGuard }) => {
  const N = 4;
  const author = await createUser(request, "Liveposter");
  await signIn(page, author);
  const reader = await newPage();
  // The stream cannot be reached (a network drop): the page says so and keeps trying.
  await reader.route("**/api/articles/*/events*", (route) => route.abort("internetdisconnected"));
  consoleGuard.allowNetworkFailure(/\/api\/articles\/[^/]+\/events/);
  const r = new ArticlePage(reader, PATH);
  await r.goto();
  await expect(reader.getByRole("status").filter({ hasText: "Offline: trying to reconnect." })).toBeVisible();
  const t = await r.target(N);
  await createContribution(page.request, { ...t, kind: "ANNOTATION", body: "Posted while the reader was offline.", selector: wholeParagraph(t.text) }, SLUG);
  // Back online: the stream resumes from the page's own point in time and replays what it missed.
  await reader.unroute("**/api/articles/*/events*");
  await expect(reader.locator('[data-stream-state="live"]')).toBeVisible({ timeout: 10_000 });
  await expect(r.discussButton(N)).toHaveAccessibleName(`Discuss paragraph ${N}: 1 annotation`);
  const panel = await r.openDiscussion(N);
  await expect(panel).toContainText("Posted while the reader was offline.");
});

test("a reply to B arrives on B's open page and B's bell counts it; the notification opens the reply", async ({ page, newPage, request }) => {
  const N = 6;
  const alice = await createUser(request, "Bellalice");
  const bob = await createUser(request, "Bellbob");
  // Bob wrote something; he has the article open.
  const bobPage = await newPage();
  await signIn(bobPage, bob);
  const b = new ArticlePage(bobPage, PATH);
  await b.goto();
  const t = await b.target(N);
  const mine = await createContribution(bobPage.request, { ...t, kind: "ANNOTATION", body: "Bob's note, waiting for answers.", selector: wholeParagraph(t.text) }, SLUG);
  await b.goto();
  await expect(bobPage.locator('[data-stream-state="live"]')).toBeVisible();
  const bell = bobPage.getByRole("link", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications none unread");

  // Alice replies.
  await signIn(page, alice);
  const r = await createReply(page.request, mine.id, "Alice answers Bob.");
  await expect(bell).toHaveAccessibleName("Notifications 1 unread", { timeout: 5000 });

  // The notification says who answered what, and opens the reply itself.
  await bell.click();
  await expect(bobPage.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const item = bobPage.locator(`[data-notification-id]`).first();
  await expect(item).toContainText(`${alice.name} replied to your contribution “Bob's note, waiting for answers.”`);
  await expect(item).toContainText("“Alice answers Bob.”");
  expect(await seriousViolations(bobPage)).toEqual([]);
  await item.getByRole("button", { name: /^Mark as read/ }).click();
  await expect(bell).toHaveAccessibleName("Notifications none unread");
  await expect(item).not.toHaveAttribute("data-unread", "true");
  await item.getByRole("link", { name: /^Open the reply/ }).click();
  await expect(b.panel(N).locator(`[data-contribution-id="${r.id}"]`)).toBeFocused();
});

test("a reader follows a paragraph with the keyboard; a new contribution there reaches their bell; settings turn it off", async ({ page, newPage, request }) => {
  const N = 8;
  const carol = await createUser(request, "Followcarol");
  const dave = await createUser(request, "Followdave");
  await signIn(page, carol);
  const c = new ArticlePage(page, PATH);
  await c.goto();
  const panel = await c.openDiscussion(N);
  const follow = panel.getByRole("button", { name: "Follow this paragraph" });
  await expect(follow).toHaveAttribute("aria-pressed", "false");
  await follow.focus();
  await page.keyboard.press("Enter");
  await expect(follow).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: "You follow this paragraph" })).toHaveCount(1);
  // Still followed after a reload.
  await c.goto();
  await expect((await c.openDiscussion(N)).getByRole("button", { name: "Follow this paragraph" })).toHaveAttribute("aria-pressed", "true");

  const davePage = await newPage();
  await signIn(davePage, dave);
  const d = new ArticlePage(davePage, PATH);
  await d.goto();
  const t = await d.target(N);
  const posted = await createContribution(davePage.request, { ...t, kind: "COUNTERPOINT", body: "Dave posts on Carol's paragraph.", selector: wholeParagraph(t.text) }, SLUG);
  const bell = page.getByRole("link", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications 1 unread", { timeout: 5000 });
  await bell.click();
  const item = page.locator(`[data-notification-id]`).first();
  await expect(item).toContainText(`${dave.name} posted on something you follow`);
  await item.getByRole("link", { name: /^Open it/ }).click();
  await expect(c.panel(N).locator(`[data-contribution-id="${posted.id}"]`)).toBeFocused();

  // Settings: news on what she follows, off.
  await page.goto("/me/settings");
  const box = page.getByLabel("New contributions on what I follow");
  await expect(box).toBeChecked();
  await box.uncheck();
  await page.getByRole("button", { name: "Save notification settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved. Notifications follow these choices" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  // The email digest: weekly unless chosen otherwise; daily, with the keyboard.
  await expect(page.getByRole("radio", { name: "Weekly" })).toBeChecked();
  await page.getByRole("radio", { name: "Daily" }).check();
  await page.getByRole("button", { name: "Save notification settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved. Notifications follow these choices" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("New contributions on what I follow")).not.toBeChecked();
  await expect(page.getByRole("radio", { name: "Daily" })).toBeChecked();
});

test("on a page without an article, B's bell counts A's reply within two seconds over its own stream; an article page opens no second stream", async ({ page, newPage, request }) => {
  const N = 12;
  const alice = await createUser(request, "Streamalice");
  const bob = await createUser(request, "Streambob");
  const bobPage = await newPage();
  const userStreams: string[] = [];
  bobPage.on("request", (r) => {
    if (r.url().includes("/api/me/notifications/events")) userStreams.push(r.url());
  });
  await signIn(bobPage, bob);
  const b = new ArticlePage(bobPage, PATH);
  await b.goto();
  const t = await b.target(N);
  const mine = await createContribution(bobPage.request, { ...t, kind: "ANNOTATION", body: "Bob's note, read elsewhere.", selector: wholeParagraph(t.text) }, SLUG);
  // On the article page the bell is live through the article's stream: one connection, not two.
  // (The header's bell: the settings page also links to the notifications, by name.)
  const bell = bobPage.locator("header").getByRole("link", { name: /^Notifications/ });
  await expect(bobPage.locator('[data-stream-state="live"]')).toBeVisible();
  await expect(bell).toHaveAttribute("data-live", "true");
  expect(userStreams).toEqual([]);

  // Bob goes to his settings: the bell opens its own stream there.
  await bobPage.goto("/me/settings");
  await expect(bell).toHaveAttribute("data-live", "true");
  expect(userStreams).toHaveLength(1);
  await expect(bell).toHaveAccessibleName("Notifications none unread");

  // Alice replies; Bob's bell counts it at once, with no poll due for another 30 s.
  await signIn(page, alice);
  const posted = Date.now();
  await createReply(page.request, mine.id, "Alice answers Bob while he is in his settings.");
  await expect(bell).toHaveAccessibleName("Notifications 1 unread", { timeout: 2000 });
  expect(Date.now() - posted).toBeLessThan(2000);
  expect(await seriousViolations(bobPage)).toEqual([]);
  // Keyboard: the bell is a link to the list.
  await bell.focus();
  await bobPage.keyboard.press("Enter");
  await expect(bobPage.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
});

test("the notification stream is for signed-in readers only", async ({ request }) => {
  // Signed out: 204, no stream (a browser's EventSource stops, without an error, when a session ends).
  const res = await request.get("/api/me/notifications/events", { headers: { Accept: "text/event-stream" } });
  expect(res.status()).toBe(204);
  expect(await res.text()).toBe("");
  // The instance's internal cache route answers no one but the instance itself.
  const internal = await request.post("/api/internal/page-cache", { data: { allArticles: true } });
  expect(internal.status()).toBe(403);
  const guessed = await request.post("/api/internal/page-cache", { data: { allArticles: true }, headers: { "x-internal-secret": "guess" } });
  expect(guessed.status()).toBe(403);
});

test.describe("two app instances on one database", () => {
  let second: SecondInstance | null = null;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    if (canRunSecondInstance()) second = await startSecondInstance();
  });
  test.afterAll(async () => {
    await second?.stop();
  });

  test("a contribution posted through instance 1 shows in instance 2's cached page within two seconds; other articles stay cached", async ({ page, request }) => {
    test.skip(!second, "two instances need a PostgreSQL server (E2E_DATABASE_URL): the embedded database belongs to one process");
    const other = second!;
    const N = 10;
    const author = await createUser(request, "Twoinstances");
    await signIn(page, author);
    const a = new ArticlePage(page, PATH);
    await a.goto();
    const t = await a.target(N);
    // What a visitor without JavaScript gets from instance 2: the server-rendered page.
    const fromSecond = async (path: string) => {
      const res = await request.get(`${other.origin}${path}`);
      expect(res.status()).toBe(200);
      const html = await res.text();
      return { cache: res.headers()["x-nextjs-cache"], label: html.match(new RegExp(`aria-label="Discuss paragraph ${N}: ([^"]*)"`))?.[1] ?? null };
    };
    // Warm: served from instance 2's own cache (a copy older than 30 s, e.g. from the build directory both
    // instances share, is served STALE once while it renders again).
    const cached = async (path: string) => (await fromSecond(path)).cache;
    await expect.poll(() => cached(PATH), { timeout: 10_000 }).toBe("HIT");
    await expect.poll(() => cached(ARTICLE_PATH), { timeout: 10_000 }).toBe("HIT");
    expect((await fromSecond(PATH)).label).toBe("no contributions yet");

    await createContribution(page.request, { ...t, kind: "ANNOTATION", body: "Posted through instance one.", selector: wholeParagraph(t.text) }, SLUG);
    const posted = Date.now();
    await expect.poll(async () => (await fromSecond(PATH)).label, { timeout: 2000, intervals: [100] }).toBe("1 annotation");
    // Far sooner than the page's 30 s revalidate interval: instance 2 dropped its copy when it heard the change.
    expect(Date.now() - posted).toBeLessThan(2000);
    // Only that article's page: another article's cached copy on instance 2 is still served from the cache.
    expect((await fromSecond(ARTICLE_PATH)).cache).toBe("HIT");
  });

  test("an article added through instance 1 is on instance 2's home page, and its page there, within two seconds", async ({ page, request }) => {
    test.skip(!second, "two instances need a PostgreSQL server (E2E_DATABASE_URL): the embedded database belongs to one process");
    const other = second!;
    const slug = `instances-${Date.now().toString(36)}`;
    const listed = async () => (await (await request.get(`${other.origin}/`)).text()).includes(`href="/articles/${slug}"`);
    // Instance 2 has read its list (cached for 30 s) and answered 404 for the slug.
    expect(await listed()).toBe(false);
    expect((await request.get(`${other.origin}/articles/${slug}`)).status()).toBe(404);
    await signIn(page, STAFF.ADMIN);
    const res = await page.request.post("/api/admin/articles", { data: { slug, title: "Added through instance one", body: "Its one paragraph." } });
    expect(res.status(), await res.text()).toBe(201);
    const added = Date.now();
    await expect.poll(listed, { timeout: 2000, intervals: [100] }).toBe(true);
    await expect.poll(async () => (await request.get(`${other.origin}/articles/${slug}`)).status(), { timeout: 2000, intervals: [100] }).toBe(200);
    expect(Date.now() - added).toBeLessThan(2000);
  });
});
