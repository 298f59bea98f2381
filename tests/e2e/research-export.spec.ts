/**
 * Research export, end to end: a researcher signs in, creates a study and an export with
 * filters, watches it go from queued to ready, downloads the bundle; the zip opens and its
 * files match the manifest (sha256, bytes, rows). Also: the opt-out setting, API tokens (shown
 * once, used, revoked), the audit log, and axe scans of the research pages.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import yauzl from "yauzl";
import { ARTICLE_SLUG, ArticlePage, createContribution, createUser, expect, PARAGRAPH, signIn, test, wholeParagraph } from "./fixtures";
import { seriousViolations, STAFF } from "./moderation-fixtures";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Every file in a zip, by name. */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error("no zip"));
      const files = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on("error", reject);
        });
      });
      zip.on("end", () => resolve(files));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

interface Manifest {
  exportId: string;
  filters: { articles: string[]; kinds: string[]; statuses: string[]; includeModeration: boolean; spreadsheetSafe: boolean };
  csvFormulaGuard: boolean;
  counts: { contributions: number; optedOutExcluded: number };
  pseudonymisation: { keyFingerprint: string };
  files: { path: string; rows: number | null; bytes: number; sha256: string }[];
}

test("a researcher exports a study's data, watches it finish, and the bundle matches its manifest", async ({ page, request, newPage }) => {
  test.slow();
  // ---- data: an author's contributions, and one by a person who opted out
  const author = await createUser(request, "Exportauthor");
  const optedOut = await createUser(request, "Exportoptout");
  const authorPage = await newPage();
  await signIn(authorPage, author);
  const article = new ArticlePage(authorPage);
  await article.goto();
  const target = await article.target(PARAGRAPH.researchExport);
  const base = { anchorId: target.anchorId, versionId: target.versionId, selector: wholeParagraph(target.text) };
  const annotation = await createContribution(authorPage.request, { ...base, kind: "ANNOTATION", body: "=HYPERLINK(\"http://evil.example\"), \"quoted\"\nsecond line" });
  const counterpoint = await createContribution(authorPage.request, { ...base, kind: "COUNTERPOINT", body: "The numbers say otherwise." });

  const optedOutPage = await newPage();
  await signIn(optedOutPage, optedOut);
  const hiddenFromResearch = await createContribution(optedOutPage.request, { ...base, kind: "ANNOTATION", body: "Please leave me out of studies." });
  // The opt-out, through the settings page, with the keyboard.
  await optedOutPage.goto("/me/settings");
  const box = optedOutPage.getByLabel("Leave my contributions out of research exports");
  await box.focus();
  await optedOutPage.keyboard.press("Space");
  await expect(box).toBeChecked();
  await optedOutPage.keyboard.press("Tab");
  // The page also has the notification settings: this is the research section's own button and status.
  const research = optedOutPage.getByRole("region", { name: "Research exports" });
  await expect(research.getByRole("button", { name: "Save", exact: true })).toBeFocused();
  await optedOutPage.keyboard.press("Enter");
  await expect(research.getByRole("status")).toContainText("left out of research exports");
  expect(await seriousViolations(optedOutPage)).toEqual([]);

  // ---- the researcher: a reader promoted by the admin
  const researcher = await createUser(request, "Researcher");
  const adminPage = await newPage();
  await signIn(adminPage, STAFF.ADMIN);
  expect((await adminPage.request.patch(`/api/admin/users/${researcher.id}`, { data: { role: "RESEARCHER" } })).status()).toBe(200);
  await signIn(page, researcher);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Research" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Research exports" })).toBeVisible();

  // A study, created with the keyboard.
  const studyName = `Exile discourse ${Date.now().toString(36)}`;
  await page.getByLabel("Name", { exact: true }).focus();
  await page.keyboard.type(studyName);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("list", { name: "Your studies" })).toContainText(studyName);
  await expect(page.getByLabel("Study", { exact: true })).toHaveValue(/[0-9a-f-]{36}/);

  // Researchers cannot ask for what readers could not see.
  await expect(page.getByRole("checkbox", { name: "Hidden" })).toBeDisabled();

  // The export: this article, all kinds, published, with moderation events, as CSV.
  await page.getByRole("group", { name: "Articles" }).getByRole("checkbox", { name: "Western Hostility to Russian Exiles Plays into Putin’s Hands", exact: true }).check();
  await page.getByRole("checkbox", { name: /Include moderation events/ }).check();
  await page.getByRole("radio", { name: /^CSV/ }).check();
  // Spreadsheet-safe CSV: off by default, labelled, reached with Tab from the format and ticked with Space.
  const safe = page.getByRole("checkbox", { name: "Spreadsheet-safe CSV" });
  await expect(safe).not.toBeChecked();
  await expect(safe).toHaveAccessibleDescription(/exactly as written/);
  await page.getByRole("radio", { name: /^CSV/ }).focus();
  await page.keyboard.press("Tab");
  await expect(safe).toBeFocused();
  await page.keyboard.press("Space");
  await expect(safe).toBeChecked();
  // Only offered for CSV.
  await page.getByRole("radio", { name: /^JSON Lines/ }).check();
  await expect(safe).toHaveCount(0);
  await page.getByRole("radio", { name: /^CSV/ }).check();
  await expect(safe).toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Start export" }).click();

  // Progress: the new export shows at once (queued or running), then becomes ready by itself.
  const item = page.locator("[data-export-id]").first();
  await expect(item).toContainText(studyName);
  await expect(page.getByRole("status").filter({ hasText: /Export queued|ready to download/ })).toHaveCount(1);
  await expect(item.getByTestId("export-status")).toHaveText("Ready", { timeout: 60_000 });
  await expect(item).toContainText(/\d+ rows/);
  await expect(item).toContainText("contributions left out by opt-out");
  const shownSha = (await item.getByTestId("bundle-sha256").textContent())!.trim();
  expect(shownSha).toMatch(/^[0-9a-f]{64}$/);
  expect(await seriousViolations(page)).toEqual([]);

  // ---- download: the zip opens and everything matches the manifest
  const [download] = await Promise.all([page.waitForEvent("download"), item.getByRole("link", { name: /Download bundle/ }).click()]);
  const zipBytes = await readFile((await download.path())!);
  expect(sha256(zipBytes)).toBe(shownSha);
  const files = await unzip(zipBytes);
  const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8")) as Manifest;
  expect(manifest.filters).toMatchObject({ articles: [ARTICLE_SLUG], statuses: ["PUBLISHED"], includeModeration: true, spreadsheetSafe: true });
  expect(manifest.csvFormulaGuard).toBe(true);
  expect(manifest.counts.optedOutExcluded).toBeGreaterThanOrEqual(1);
  expect(manifest.pseudonymisation.keyFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  const listed = manifest.files.map((f) => f.path).sort();
  expect(listed).toEqual(
    [
      "README.md",
      "anchor_events.csv",
      "article_versions.csv",
      "articles.csv",
      "contributions.csv",
      "contribution_revisions.csv",
      "ratings.csv",
      "contribution_scores.csv",
      "scoring_runs.csv",
      "data-dictionary.md",
      "flags.csv",
      "moderation_events.csv",
      "paragraphs.csv",
    ].sort(),
  );
  expect([...files.keys()].sort()).toEqual([...listed, "SHA256SUMS", "manifest.json"].sort());
  for (const f of manifest.files) {
    const bytes = files.get(f.path)!;
    expect(sha256(bytes), f.path).toBe(f.sha256);
    expect(bytes.length, f.path).toBe(f.bytes);
    if (f.rows !== null) {
      const records = parse(bytes, { columns: true, bom: false }) as Record<string, string>[];
      expect(records.length, `${f.path} rows`).toBe(f.rows);
    }
  }
  // SHA256SUMS agrees too (covers manifest.json).
  for (const line of files.get("SHA256SUMS")!.toString("utf8").trim().split("\n")) {
    const [sum, name] = line.split(/\s+/);
    expect(sha256(files.get(name!)!), name).toBe(sum);
  }

  // Our contributions are in, pseudonymised; the opted-out one is not; no names or emails anywhere.
  const contributions = parse(files.get("contributions.csv")!, { columns: true }) as Record<string, string>[];
  const ours = contributions.filter((c) => c.contribution_id === annotation.id || c.contribution_id === counterpoint.id);
  expect(ours.map((c) => c.kind).sort()).toEqual(["ANNOTATION", "COUNTERPOINT"]);
  expect(new Set(ours.map((c) => c.author_pseudonym)).size).toBe(1);
  expect(ours[0]!.author_pseudonym).toMatch(/^[0-9a-f]{32}$/);
  // Asked for spreadsheet-safe: the formula is guarded (one leading ', see data-dictionary.md).
  const guarded = ours.find((c) => c.kind === "ANNOTATION")!;
  expect(guarded.body).toBe("'=HYPERLINK(\"http://evil.example\"), \"quoted\"\nsecond line");
  expect(contributions.some((c) => c.contribution_id === hiddenFromResearch.id)).toBe(false);
  const everything = Buffer.concat([...files.values()]).toString("utf8");
  for (const secret of [author.email, author.name, optedOut.email, optedOut.name, researcher.email, researcher.name]) {
    expect(everything.includes(secret), `bundle contains ${secret}`).toBe(false);
  }
  expect(files.get("README.md")!.toString("utf8")).toContain("sha256sum -c SHA256SUMS");

  // ---- the audit log records the export
  const log = await adminPage.request.get("/api/admin/log?action=EXPORT");
  expect(log.status()).toBe(200);
  expect(await log.text()).toContain(manifest.exportId);

  // ---- API tokens: shown once, used by a script, revoked
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Nightly download script");
  await page.getByRole("radio", { name: /export:read/ }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const tokenField = page.getByLabel("The new token");
  await expect(tokenField).toHaveValue(/^adx_/);
  const token = await tokenField.inputValue();
  expect(await seriousViolations(page)).toEqual([]);

  const script = { Authorization: `Bearer ${token}` };
  const viaApi = await request.get(`/api/v1/exports/${manifest.exportId}/download`, { headers: script });
  expect(viaApi.status()).toBe(200);
  expect(sha256(await viaApi.body())).toBe(shownSha);
  const create = await request.post("/api/v1/exports", { headers: script, data: { studyId: "00000000-0000-4000-8000-000000000000", format: "csv" } });
  expect(create.status(), "an export:read token cannot create").toBe(403);

  await page.reload();
  const row = page.getByRole("row", { name: /Nightly download script/ });
  await expect(row).not.toContainText("never"); // last used is shown
  await row.getByRole("button", { name: /Revoke/ }).click();
  await expect(row).toContainText("Revoked");
  expect((await request.get(`/api/v1/exports/${manifest.exportId}`, { headers: script })).status()).toBe(401);
  await page.reload();
  await expect(tokenField).toHaveCount(0); // never shown again
});
