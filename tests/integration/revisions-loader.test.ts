import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadContent } from "@/lib/content/load-content";
import { parseArticle } from "@/lib/content/parse-article";
import { publishRevision, revisionEditor } from "@/lib/content/revise-article";
import { getDb, type Db } from "@/lib/db/client";
import { articleSource, suffix } from "./support/fixtures";
import { moderationData, type TestUser } from "./support/moderation";

/**
 * File versus admin revisions (docs/decisions/0043): the loader compares a file with the last
 * version that came from the file, so an admin's revision of a file article is not reverted by
 * the next start; once the file changes, it is loaded on top and the file is the source again.
 */

let db: Db;
let data: ReturnType<typeof moderationData>;
let admin: TestUser;

const P = ["The first paragraph of a file article.", "The second paragraph, which an admin will correct."];

const file = (slug: string, paragraphs: string[]) => parseArticle(slug, articleSource("A file article", paragraphs));

const versions = (slug: string) =>
  db.articleVersion.findMany({ where: { article: { slug } }, orderBy: { number: "asc" }, select: { number: true, source: true, paragraphs: { orderBy: { position: "asc" }, select: { text: true } } } });

beforeAll(async () => {
  db = await getDb();
  data = moderationData(db);
  admin = await data.user({ role: "ADMIN" });
});

afterAll(async () => {
  await data?.cleanup();
});

describe("loading a file after an admin revision", () => {
  it("leaves the admin's revision while the file is unchanged, says so, and loads the file once it changes", async () => {
    const slug = `file-revised-${suffix()}`;
    data.track(slug);
    expect((await loadContent(db, [file(slug, P)])).created).toEqual([slug]);
    const editor = await revisionEditor(admin, slug);
    expect(editor.origin).toBe("FILE");
    await publishRevision(admin, slug, { baseVersion: 1, title: "A file article", section: "Test", body: `${P[0]}\n\nThe second paragraph, as the admin corrected it.` });

    // The next start: the file is as it was when last loaded.
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const again = await loadContent(db, [file(slug, P)]);
      expect(again).toMatchObject({ created: [], unchanged: [slug], keptAdminRevision: [slug] });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`${slug}\\.md left as it is: an admin revision \\(version 2\\) is newer than the file`)));
    } finally {
      warn.mockRestore();
    }
    expect((await versions(slug)).map((v) => [v.number, v.source])).toEqual([
      [1, "FILE"],
      [2, "ADMIN"],
    ]);

    // Someone edits the file: it becomes version 3, re-anchored from the admin's version 2.
    const edited = [P[0]!, "The second paragraph, corrected in the file instead."];
    const loaded = await loadContent(db, [file(slug, edited)]);
    expect(loaded.created).toEqual([slug]);
    expect(loaded.keptAdminRevision).toBeUndefined();
    expect(loaded.reanchored?.[slug]).toMatchObject({ version: 3 });
    const all = await versions(slug);
    expect(all.map((v) => [v.number, v.source])).toEqual([
      [1, "FILE"],
      [2, "ADMIN"],
      [3, "FILE"],
    ]);
    expect(all[2]!.paragraphs.map((p) => p.text)).toEqual(edited);
    // And loading the same file again changes nothing.
    expect(await loadContent(db, [file(slug, edited)])).toMatchObject({ created: [], unchanged: [slug] });
    expect(await versions(slug)).toHaveLength(3);
  });

  it("still loads a changed file as before when no admin revised it", async () => {
    const slug = `file-only-${suffix()}`;
    data.track(slug);
    await loadContent(db, [file(slug, P)]);
    const r = await loadContent(db, [file(slug, [...P, "A third paragraph."])]);
    expect(r.created).toEqual([slug]);
    expect((await versions(slug)).map((v) => v.source)).toEqual(["FILE", "FILE"]);
  });
});
