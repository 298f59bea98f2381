/**
 * Shared helpers for the end-to-end tests.
 *
 * - `test` fails any test whose pages log console.error or throw an uncaught error, unless the
 *   test declared that exact failed request first (`consoleGuard.allowFailedRequest`).
 * - Tests own their data: every user is created here with a unique email, and every spec writes
 *   to its own paragraph (PARAGRAPH), so counts and lists never depend on another spec.
 * - Nothing relies on demo accounts or on the order the specs run in.
 */
import {
  test as base,
  expect,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type Locator,
  type Page,
} from "@playwright/test";

export { expect };

export const ARTICLE_SLUG = "western-hostility-to-russian-exiles-plays-into-putins-hands";
export const ARTICLE_PATH = `/articles/${ARTICLE_SLUG}`;

/**
 * A whole article of the spec's own (slug `e2e-<name>`): a copy of the op-ed that scripts/e2e-server.mjs
 * writes for every name in tests/e2e/articles.json. For specs that publish revisions or count
 * everything on a page; add a name there, never share one between specs.
 */
export function e2eArticleSlug(name: string): string {
  return `e2e-${name}`;
}

export function e2eArticlePath(name: string): string {
  return `/articles/${e2eArticleSlug(name)}`;
}

/** The paragraph (1-based) each spec writes to. Never share one between specs. */
export const PARAGRAPH = {
  claimSelection: 2,
  selectionAcrossParagraphs: 3, // reads only
  keyboardSource: 5,
  keyboardFocus: 10,
  signedOut: 7,
  untrustedText: 9,
  deepLink: 12,
  ownContributions: 14,
  apiRules: 16,
  staleEdit: 18,
  accessibilitySignedIn: 20,
  sessionEnded: 22,
  paging: 24,
  researchExport: 13,
  keyboardQuote: 17,
  requestTrust: 21,
  ranking: 23,
} as const;

// ---------------------------------------------------------------- console and page errors

interface AllowedFailure {
  status: number;
  url: RegExp;
}

export class ConsoleGuard {
  private problems: string[] = [];
  private allowed: AllowedFailure[] = [];

  watch(page: Page, label: string): void {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const text = msg.text();
      const url = msg.location().url;
      if (this.isAllowed(text, url)) return;
      this.problems.push(`[${label}] console.error: ${text}${url ? ` (at ${url})` : ""}`);
    });
    page.on("pageerror", (err) => {
      this.problems.push(`[${label}] uncaught error: ${err.stack ?? err.message}`);
    });
  }

  /**
   * The test deliberately causes a request that fails with `status`; Chromium then logs
   * "Failed to load resource: the server responded with a status of N". Only that is ignored.
   */
  allowFailedRequest(status: number, url: RegExp): void {
    this.allowed.push({ status, url });
  }

  /** The test cuts the network for requests to `url` on purpose; Chromium logs "Failed to load resource: net::ERR_…". Only that is ignored. */
  allowNetworkFailure(url: RegExp): void {
    this.dropped.push(url);
  }

  private dropped: RegExp[] = [];

  private isAllowed(text: string, url: string): boolean {
    if (/^Failed to load resource: net::ERR_/.test(text) && this.dropped.some((d) => d.test(url))) return true;
    const m = /^Failed to load resource: the server responded with a status of (\d{3})\b/.exec(text);
    if (!m) return false;
    const status = Number(m[1]);
    return this.allowed.some((a) => a.status === status && a.url.test(url));
  }

  assertClean(): void {
    if (this.problems.length) {
      throw new Error(`The page logged errors:\n${this.problems.join("\n")}`);
    }
  }
}

// ---------------------------------------------------------------- users

export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
}

let sequence = 0;

/** Fresh, unique sign-up data (nothing is created). */
export function newUserData(label = "Reader"): Omit<TestUser, "id"> {
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}${sequence++}`;
  return {
    name: `${label} ${tag}`,
    email: `${label.toLowerCase()}-${tag}@example.test`,
    password: `pw-${tag}-long-enough`,
  };
}

/** Creates a user through POST /api/signup (`name` replaces the generated display name). */
export async function createUser(request: APIRequestContext, label?: string, name?: string): Promise<TestUser> {
  const data = { ...newUserData(label), ...(name ? { name } : {}) };
  const res = await request.post("/api/signup", { data });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { user: { id: string; name: string } };
  expect(body.user.name).toBe(data.name);
  return { ...data, id: body.user.id };
}

/**
 * Signs `page`'s browser context in through next-auth's credentials endpoint; page.request
 * shares the context's cookie jar, so the session cookie lands in the browser.
 */
export async function signIn(page: Page, user: Pick<TestUser, "email" | "password" | "name">): Promise<void> {
  const csrf = await page.request.get("/api/auth/csrf");
  expect(csrf.ok()).toBe(true);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true" },
  });
  expect(res.status(), await res.text()).toBe(200);
  const session = (await (await page.request.get("/api/auth/session")).json()) as { user?: { name?: string } };
  expect(session.user?.name).toBe(user.name);
}

/** Signs in through the /signin form, as a person would, and waits for the header to say so. */
export async function signInThroughForm(page: Page, user: Pick<TestUser, "email" | "password" | "name">): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(siteHeader(page)).toContainText(`Signed in as ${user.name}`);
}

export const siteHeader = (page: Page): Locator => page.getByRole("navigation", { name: "Site" });

// ---------------------------------------------------------------- the article page

/** Locators for the article page, by what a reader (or a screen reader) sees. */
export class ArticlePage {
  /** `path`: the op-ed by default, or a spec's own copy (e2eArticlePath). */
  constructor(
    readonly page: Page,
    readonly path: string = ARTICLE_PATH,
  ) {}

  async goto(anchorId?: string): Promise<void> {
    await this.page.goto(anchorId ? `${this.path}#${anchorId}` : this.path);
    await expect(this.page.getByRole("heading", { level: 1 })).toBeVisible();
  }

  paragraph(n: number): Locator {
    return this.page.getByRole("region", { name: `Paragraph ${n}`, exact: true });
  }

  paragraphText(n: number): Locator {
    return this.paragraph(n).locator("[data-paragraph-text]");
  }

  /** The paragraph's "Discuss" button; its accessible name also carries the counts. */
  discussButton(n: number): Locator {
    return this.page.getByRole("button", { name: new RegExp(`^Discuss paragraph ${n}:`) });
  }

  panel(n: number): Locator {
    return this.page.getByRole("region", { name: `Discussion of paragraph ${n}`, exact: true });
  }

  async anchorId(n: number): Promise<string> {
    const id = await this.paragraph(n).getAttribute("id");
    if (!id) throw new Error(`paragraph ${n} has no id`);
    return id;
  }

  /** The paragraph's text exactly as the server holds it (the element's text content equals it). */
  async text(n: number): Promise<string> {
    return (await this.paragraphText(n).textContent()) ?? "";
  }

  /**
   * The article version the page was rendered for. The page does not print it; it travels in
   * the server-component payload as the `versionId` prop of the discussion component.
   */
  async versionId(): Promise<string> {
    const html = await this.page.content();
    const m = /versionId\\*"\s*:\s*\\*"([0-9a-f-]{36})/.exec(html);
    if (!m?.[1]) throw new Error("versionId not found in the article page");
    return m[1];
  }

  /** Everything needed to post to paragraph `n` through the API. */
  async target(n: number): Promise<{ anchorId: string; text: string; versionId: string }> {
    return { anchorId: await this.anchorId(n), text: await this.text(n), versionId: await this.versionId() };
  }

  async openDiscussion(n: number): Promise<Locator> {
    await this.discussButton(n).click();
    const panel = this.panel(n);
    await expect(panel).toBeVisible();
    await expect(panel.getByText("Loading…")).toHaveCount(0);
    return panel;
  }

  /** Opens the discussion and its form (the discussion comes first; the form waits behind "Respond"). */
  async openForm(n: number): Promise<Locator> {
    const panel = await this.openDiscussion(n);
    await panel.getByRole("button", { name: /^Respond/ }).click();
    await expect(panel.getByRole("form", { name: "Add to the discussion" })).toBeVisible();
    return panel;
  }
}

// ---------------------------------------------------------------- the API

export interface ContributionInput {
  anchorId: string;
  versionId: string;
  kind: "ANNOTATION" | "COUNTERPOINT" | "SOURCE";
  body: string;
  selector: { start: number; end: number; exact: string };
  source?: {
    url: string;
    title?: string;
    stance: "SUPPORTS" | "REFUTES" | "CONTEXT";
    doi?: string;
    archiveUrl?: string;
    quote?: string;
  };
}

export interface ContributionJson {
  id: string;
  kind: string;
  body: string;
  version: number;
  mine: boolean;
  edited: boolean;
  /** `id` names the author's public page, /people/<id>. */
  author: { id?: string; name: string };
  source: { url: string; domain: string | null; title: string | null; stance: string; doi: string | null; archiveUrl: string | null; quote: string | null } | null;
  selector: { start: number; end: number; exact: string; wholeParagraph: boolean };
}

export function wholeParagraph(text: string): ContributionInput["selector"] {
  return { start: 0, end: text.length, exact: text };
}

export function spanOf(text: string, words: string): ContributionInput["selector"] {
  const start = text.indexOf(words);
  if (start < 0) throw new Error(`"${words}" is not in the paragraph`);
  return { start, end: start + words.length, exact: words };
}

/** Posts to the op-ed, or to the article `slug` (a spec's own copy). */
export function postContribution(request: APIRequestContext, input: ContributionInput, slug: string = ARTICLE_SLUG): Promise<APIResponse> {
  return request.post(`/api/articles/${slug}/contributions`, { data: input });
}

/** Posts through the API and expects 201. */
export async function createContribution(request: APIRequestContext, input: ContributionInput, slug?: string): Promise<ContributionJson> {
  const res = await postContribution(request, input, slug);
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { contribution: ContributionJson }).contribution;
}

/** Replies to a contribution through the API (an annotation unless `kind` says otherwise) and expects 201. */
export async function createReply(request: APIRequestContext, parentId: string, body: string, kind: ContributionInput["kind"] = "ANNOTATION"): Promise<ContributionJson> {
  const res = await request.post(`/api/contributions/${parentId}/replies`, { data: { kind, body } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { contribution: ContributionJson }).contribution;
}

// ---------------------------------------------------------------- keyboard

/** Presses Tab until `target` has focus (at most `max` times); returns how many presses it took. */
export async function tabUntilFocused(page: Page, target: Locator, max = 20): Promise<number> {
  await expect(target).toBeVisible();
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return i;
  }
  const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? "(nothing)");
  throw new Error(`${max} presses of Tab never reached ${target}; focus is on ${focused}`);
}

// ---------------------------------------------------------------- the fixtures

interface Fixtures {
  consoleGuard: ConsoleGuard;
  article: ArticlePage;
  /** A page in a fresh browser context (another person), watched by the console guard. */
  newPage: () => Promise<Page>;
}

export const test = base.extend<Fixtures>({
  consoleGuard: [
    async ({ page }, use) => {
      const guard = new ConsoleGuard();
      guard.watch(page, "page");
      await use(guard);
      guard.assertClean();
    },
    { auto: true },
  ],
  article: async ({ page }, use) => {
    await use(new ArticlePage(page));
  },
  newPage: async ({ browser, consoleGuard }, use) => {
    const contexts: Awaited<ReturnType<Browser["newContext"]>>[] = [];
    let n = 0;
    await use(async () => {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      consoleGuard.watch(page, `page ${++n + 1}`);
      return page;
    });
    for (const c of contexts) await c.close();
  },
});
