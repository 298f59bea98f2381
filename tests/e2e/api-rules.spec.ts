import type { APIRequestContext, APIResponse } from "@playwright/test";
import {
  ARTICLE_SLUG,
  createUser,
  expect,
  PARAGRAPH,
  postContribution,
  signIn,
  test,
  wholeParagraph,
  type ContributionInput,
  type ContributionJson,
} from "./fixtures";

const N = PARAGRAPH.apiRules;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** "at fn (/path/file.js:1:2)", "at /path/file.ts:3", node:internal frames, build paths. */
const STACK_TRACE = /\bat\s+(?:[^\s()]+\s+\()?(?:\/|file:|node:|webpack)[^\s)]*:\d+|\.next\/server|node_modules\//;

interface ErrorJson {
  error: { code: string; message: string; fields?: { field: string; message: string }[]; current?: ContributionJson };
}

test("the API decides who may change what, and its answers leak nothing", async ({ page, request, article, newPage, playwright, baseURL }) => {
  const owner = await createUser(request, "Owner");
  const other = await createUser(request, "Other");
  const answers: { what: string; status: number; body: string }[] = [];

  /** Sends, records the answer for the leak checks at the end, checks the status. */
  async function expectStatus(what: string, send: Promise<APIResponse>, status: number): Promise<unknown> {
    const res = await send;
    const body = await res.text();
    answers.push({ what, status: res.status(), body });
    expect(res.status(), `${what}: ${body}`).toBe(status);
    return body && res.headers()["content-type"]?.includes("json") ? JSON.parse(body) : body;
  }
  const fieldsOf = (json: unknown) => ((json as ErrorJson).error.fields ?? []).map((f) => f.field);

  await signIn(page, owner);
  await article.goto();
  const target = await article.target(N);
  const input = (over: Partial<ContributionInput> = {}): ContributionInput => ({
    anchorId: target.anchorId,
    versionId: target.versionId,
    kind: "ANNOTATION",
    body: "An annotation for the API checks.",
    selector: wholeParagraph(target.text),
    ...over,
  });
  const ownerApi = page.request;
  const otherPage = await newPage();
  await signIn(otherPage, other);
  const otherApi = otherPage.request;
  const anonymous: APIRequestContext = await playwright.request.newContext({ baseURL });
  const contributionsUrl = `/api/articles/${ARTICLE_SLUG}/contributions`;
  const listUrl = `/api/articles/${ARTICLE_SLUG}/paragraphs/${target.anchorId}/contributions`;

  try {
    // The owner creates one annotation and one source link.
    const created = (await expectStatus("owner creates", postContribution(ownerApi, input()), 201)) as {
      contribution: ContributionJson;
    };
    const c = created.contribution;
    expect(c).toMatchObject({ kind: "ANNOTATION", version: 1, mine: true, edited: false, author: { name: owner.name } });
    const source = (
      (await expectStatus(
        "owner creates a source",
        postContribution(ownerApi, input({ kind: "SOURCE", source: { url: "https://example.org/x", stance: "SUPPORTS" } })),
        201,
      )) as { contribution: ContributionJson }
    ).contribution;
    const itemUrl = `/api/contributions/${c.id}`;

    // Another signed-in user: may read, may not change.
    await expectStatus("other edits", otherApi.patch(itemUrl, { data: { version: 1, body: "Hijacked." } }), 403);
    await expectStatus("other deletes", otherApi.delete(`${itemUrl}?version=1`), 403);
    const seenByOther = (await expectStatus("other lists", otherApi.get(listUrl), 200)) as { items: ContributionJson[] };
    expect(seenByOther.items.find((i) => i.id === c.id)).toMatchObject({ mine: false, body: "An annotation for the API checks." });
    await expectStatus("other reads the article page", otherApi.get(`/articles/${ARTICLE_SLUG}`), 200);
    await expectStatus("anonymous reads the summaries", anonymous.get(`/api/articles/${ARTICLE_SLUG}/summaries`), 200);

    // Nobody signed in: may read, may not write.
    await expectStatus("anonymous lists", anonymous.get(listUrl), 200);
    await expectStatus("anonymous creates", anonymous.post(contributionsUrl, { data: input() }), 401);
    await expectStatus("anonymous edits", anonymous.patch(itemUrl, { data: { version: 1, body: "Anonymous." } }), 401);
    await expectStatus("anonymous deletes", anonymous.delete(itemUrl), 401);

    // Things that do not exist.
    await expectStatus("unknown article (create)", ownerApi.post("/api/articles/no-such-article/contributions", { data: input() }), 404);
    await expectStatus("unknown article (list)", anonymous.get(`/api/articles/no-such-article/paragraphs/${target.anchorId}/contributions`), 404);
    await expectStatus("unknown article (summaries)", anonymous.get("/api/articles/no-such-article/summaries"), 404);
    await expectStatus("unknown paragraph (create)", postContribution(ownerApi, input({ anchorId: "p-no-such-paragraph-000000" })), 404);
    await expectStatus("unknown paragraph (list)", anonymous.get(`/api/articles/${ARTICLE_SLUG}/paragraphs/p-no-such-paragraph-000000/contributions`), 404);
    await expectStatus("unknown contribution (edit)", ownerApi.patch(`/api/contributions/${UNKNOWN_ID}`, { data: { version: 1, body: "x" } }), 404);
    await expectStatus("unknown contribution (delete)", ownerApi.delete(`/api/contributions/${UNKNOWN_ID}`), 404);
    await expectStatus("malformed contribution id", ownerApi.patch("/api/contributions/not-an-id", { data: { version: 1, body: "x" } }), 404);

    // Invalid input: 422 naming the field.
    for (const url of ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>"]) {
      const json = await expectStatus(
        `source url ${url}`,
        postContribution(ownerApi, input({ kind: "SOURCE", source: { url, stance: "REFUTES" } })),
        422,
      );
      expect(fieldsOf(json)).toContain("source.url");
      const edit = await expectStatus(
        `edit source url to ${url}`,
        ownerApi.patch(`/api/contributions/${source.id}`, { data: { version: 1, body: "x", source: { url, stance: "REFUTES" } } }),
        422,
      );
      expect(fieldsOf(edit)).toContain("source.url");
    }
    const mismatch = await expectStatus(
      "selector not matching the text",
      postContribution(ownerApi, input({ selector: { start: 0, end: 12, exact: "Not the text" } })),
      422,
    );
    expect(fieldsOf(mismatch)).toContain("selector.exact");
    const pastEnd = await expectStatus(
      "selector past the end",
      postContribution(ownerApi, input({ selector: { start: 0, end: target.text.length + 5, exact: `${target.text}12345` } })),
      422,
    );
    expect(fieldsOf(pastEnd)).toContain("selector.end");
    expect(fieldsOf(await expectStatus("blank body", postContribution(ownerApi, input({ body: "   " })), 422))).toContain("body");
    await expectStatus(
      "not JSON",
      ownerApi.post(contributionsUrl, { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } }),
      400,
    );

    // Stale edits: 409 with the current state, which nothing overwrote.
    const edited = (await expectStatus("owner edits", ownerApi.patch(itemUrl, { data: { version: 1, body: "Edit one." } }), 200)) as {
      contribution: ContributionJson;
    };
    expect(edited.contribution).toMatchObject({ version: 2, edited: true, body: "Edit one." });
    const stale = (await expectStatus("stale edit", ownerApi.patch(itemUrl, { data: { version: 1, body: "Edit two." } }), 409)) as ErrorJson;
    expect(stale.error.current).toMatchObject({ version: 2, body: "Edit one." });
    await expectStatus("stale delete", ownerApi.delete(`${itemUrl}?version=1`), 409);
    const list = (await expectStatus("owner lists", ownerApi.get(listUrl), 200)) as { items: ContributionJson[] };
    expect(list.items.find((i) => i.id === c.id)).toMatchObject({ body: "Edit one.", version: 2, mine: true });

    // Delete; afterwards it is gone for everyone.
    await expectStatus("owner deletes", ownerApi.delete(`${itemUrl}?version=2`), 204);
    await expectStatus("edit after delete", ownerApi.patch(itemUrl, { data: { version: 3, body: "Back?" } }), 404);
    const afterDelete = (await expectStatus("anonymous lists after delete", anonymous.get(listUrl), 200)) as { items: ContributionJson[] };
    expect(afterDelete.items.map((i) => i.id)).not.toContain(c.id);

    // Signing up with a taken email says so without echoing anything about the account.
    await expectStatus(
      "duplicate sign-up",
      anonymous.post("/api/signup", { data: { name: "Copycat", email: owner.email, password: "another-long-password" } }),
      409,
    );
  } finally {
    await anonymous.dispose();
  }

  // No answer carries a password hash, anybody's email address or a stack trace.
  for (const a of answers) {
    const where = `${a.what} (${a.status}): ${a.body.slice(0, 300)}`;
    expect(a.body, where).not.toContain("passwordHash");
    expect(a.body.toLowerCase(), where).not.toContain(owner.email.toLowerCase());
    expect(a.body.toLowerCase(), where).not.toContain(other.email.toLowerCase());
    expect(a.body, where).not.toMatch(STACK_TRACE);
  }
  expect(answers.length).toBeGreaterThan(25);
});
