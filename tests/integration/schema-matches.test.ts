import { beforeAll, describe, expect, it } from "vitest";
import { getDb, withSql } from "@/lib/db/client";
import { readCatalog, type Catalog } from "./support/catalog";
import { datamodelOf, diffSchema, readSchema, type Datamodel } from "./support/schema-diff";

/**
 * The migrations are SQL written by hand (Prisma's migrate engine cannot run here), so this
 * proves that the migrated database is exactly what prisma/schema.prisma describes: tables,
 * columns, types, nullability, defaults, enums, indexes and foreign keys, with nothing extra.
 * A field added to schema.prisma without a migration makes it fail.
 */

let catalog: Catalog;
let datamodel: Datamodel;

beforeAll(async () => {
  await getDb(); // migrates the run's database
  catalog = await withSql(readCatalog);
  datamodel = await datamodelOf(readSchema());
});

const column = (table: string, name: string) => catalog.columns.find((c) => c.table === table && c.name === name);

describe("the migrated database matches prisma/schema.prisma", () => {
  it("has no differences at all", () => {
    expect(diffSchema(datamodel, catalog)).toEqual([]);
  });

  it("has a table for every model and nothing else but _prisma_migrations", () => {
    expect([...catalog.tables].sort()).toEqual([...datamodel.models.map((m) => m.name), "_prisma_migrations"].sort());
  });

  it("maps the field types as Prisma does (spot checks)", () => {
    expect(column("User", "id")).toMatchObject({ dataType: "uuid", nullable: false, default: null });
    expect(column("User", "email")).toMatchObject({ dataType: "text", nullable: false });
    expect(column("User", "role")).toMatchObject({ dataType: "USER-DEFINED", udtName: "Role", default: `'READER'::"Role"` });
    expect(column("User", "createdAt")).toMatchObject({ dataType: "timestamp with time zone", datetimePrecision: 3 });
    expect(column("User", "createdAt")!.default).toMatch(/^(CURRENT_TIMESTAMP|now\(\))$/);
    expect(column("User", "updatedAt")).toMatchObject({ nullable: false, default: null });
    expect(column("ArticleVersion", "frontmatter")).toMatchObject({ dataType: "jsonb", nullable: false });
    expect(column("ArticleVersion", "number")).toMatchObject({ dataType: "integer" });
    expect(column("Contribution", "wholeParagraph")).toMatchObject({ dataType: "boolean", default: "false" });
    expect(column("Contribution", "version")).toMatchObject({ dataType: "integer", default: "1" });
    expect(column("Contribution", "stance")).toMatchObject({ udtName: "SourceStance", nullable: true, default: null });
    expect(column("Contribution", "deletedAt")).toMatchObject({ dataType: "timestamp with time zone", nullable: true });
  });

  it("has the keyset-paging index with DESC columns, and the unique indexes", () => {
    const ix = (name: string) => catalog.indexes.find((i) => i.name === name);
    expect(ix("Contribution_articleId_placedAnchorId_status_createdAt_id_idx")).toMatchObject({
      columns: ["articleId", "placedAnchorId", "status", "createdAt", "id"],
      descending: [false, false, false, true, true],
      unique: false,
    });
    expect(ix("User_email_key")).toMatchObject({ columns: ["email"], unique: true });
    expect(ix("Paragraph_versionId_anchorId_key")).toMatchObject({ columns: ["versionId", "anchorId"], unique: true });
  });

  it("has the foreign keys with the ON DELETE actions of schema.prisma", () => {
    const fk = (name: string) => catalog.foreignKeys.find((k) => k.name === name);
    expect(fk("Paragraph_versionId_fkey")).toMatchObject({ referencedTable: "ArticleVersion", onDelete: "c" });
    expect(fk("Contribution_authorId_fkey")).toMatchObject({ referencedTable: "User", onDelete: "r" });
    expect(fk("Contribution_parentId_fkey")).toMatchObject({ referencedTable: "Contribution", onDelete: "n" });
  });
});

/**
 * The comparison itself must be able to fail: each change to schema.prisma that is not
 * matched by a migration has to show up as a difference.
 */
describe("the comparison catches a schema.prisma change made without a migration", () => {
  /** Applies `edit` to the body of `model Name { … }` (or `enum Name { … }`) only. */
  function editBlock(schema: string, header: string, edit: (body: string) => string): string {
    const re = new RegExp(`(${header.replace(/ /g, "\\s+")}\\s*\\{)([^}]*)(\\})`);
    const m = re.exec(schema);
    if (!m) throw new Error(`no block ${header} in schema.prisma`);
    const body = edit(m[2]!);
    if (body === m[2]) throw new Error(`the edit did not change ${header}`);
    return schema.replace(re, (_all, open: string, _body: string, close: string) => `${open}${body}${close}`);
  }

  const cases: [string, (s: string) => string, RegExp][] = [
    ["a new optional field", (s) => editBlock(s, "model User", (b) => `${b}  nickname String?\n`), /column User\.nickname .* is missing/],
    ["a new required field", (s) => editBlock(s, "model Article", (b) => `${b}  summary String @default("")\n`), /column Article\.summary .* is missing/],
    ["a new model", (s) => `${s}\nmodel Tag {\n  id   String @id @default(uuid()) @db.Uuid\n  name String @unique\n}\n`, /table Tag \(model Tag\) is missing/],
    // (with the index that names it: schema.prisma would not validate otherwise)
    ["a removed field", (s) => editBlock(s, "model Contribution", (b) => b.replace(/^\s*deletedAt\s.*$/m, "").replace("@@index([status, deletedAt, articleId, kind])", "")), /column Contribution\.deletedAt is in the database but not in schema\.prisma/],
    ["a field made required", (s) => editBlock(s, "model Contribution", (b) => b.replace(/(sourceTitle\s+)String\?/, "$1String")), /Contribution\.sourceTitle is NULL, schema\.prisma says required/],
    ["a changed type", (s) => editBlock(s, "model Paragraph", (b) => b.replace(/(position\s+)Int/, "$1String")), /Paragraph\.position is integer, schema\.prisma says text/],
    ["a changed precision", (s) => editBlock(s, "model Article", (b) => b.replace("Timestamptz(3)", "Timestamptz(6)")), /Article\.createdAt has precision 3, schema\.prisma says 6/],
    ["a changed default", (s) => editBlock(s, "model Contribution", (b) => b.replace(/(version\s+Int\s+)@default\(1\)/, "$1@default(2)")), /Contribution\.version: default should be 2/],
    ["a changed enum default", (s) => editBlock(s, "model User", (b) => b.replace("@default(READER)", "@default(MODERATOR)")), /User\.role: default should be 'MODERATOR'::"Role"/],
    ["a reordered enum", (s) => editBlock(s, "enum Role", (b) => b.replace(/READER(\s+)MODERATOR/, "MODERATOR$1READER")), /enum Role has values READER,MODERATOR,ADMIN,RESEARCHER, schema\.prisma says MODERATOR,READER/],
    ["a new enum value", (s) => editBlock(s, "enum ContributionStatus", (b) => `${b}  ARCHIVED\n`), /enum ContributionStatus has values .* schema\.prisma says .*ARCHIVED/],
    ["a new index", (s) => editBlock(s, "model User", (b) => `${b}  @@index([name])\n`), /index User_name_idx for User @@index\(name\) is missing/],
    ["an index made ascending", (s) => editBlock(s, "model Contribution", (b) => b.replace("@@index([authorId, createdAt(sort: Desc)])", "@@index([authorId, createdAt])")), /index Contribution_authorId_createdAt_idx has sort orders \[false,true\]/],
    ["a dropped @unique", (s) => editBlock(s, "model User", (b) => b.replace(/(email\s+String\s+)@unique/, "$1")), /index User_email_key on User is in the database but not in schema\.prisma/],
    ["an index made unique", (s) => editBlock(s, "model Contribution", (b) => b.replace("@@index([paragraphId])", "@@unique([paragraphId])")), /index Contribution_paragraphId_key .* is missing/],
    ["a removed Unsupported field", (s) => editBlock(s, "model Contribution", (b) => b.replace(/^\s*search\s+Unsupported.*$/m, "").replace("@@index([search], type: Gin)", "")), /column Contribution\.search is in the database but not in schema\.prisma/],
    ["a changed Unsupported type", (s) => editBlock(s, "model Contribution", (b) => b.replace('Unsupported("tsvector")', 'Unsupported("tsquery")')), /Contribution\.search is tsvector, schema\.prisma says tsquery/],
    ["a GIN index declared as B-tree", (s) => editBlock(s, "model Contribution", (b) => b.replace("@@index([search], type: Gin)", "@@index([search])")), /index Contribution_search_idx uses gin, schema\.prisma says btree/],
    ["a generated column declared as a plain field", (s) => editBlock(s, "model Contribution", (b) => b.replace('Unsupported("tsvector")?', "String?").replace("@@index([search], type: Gin)", "@@index([search])")), /Contribution\.search is generated by the database/],
    ["a changed onDelete", (s) => editBlock(s, "model Paragraph", (b) => b.replace("onDelete: Cascade", "onDelete: Restrict")), /Paragraph_versionId_fkey .* has ON DELETE 'c', schema\.prisma says 'r'/],
    ["a new relation", (s) => editBlock(editBlock(s, "model Article", (b) => `${b}  ownerId String? @db.Uuid\n  owner User? @relation(fields: [ownerId], references: [id])\n`), "model User", (b) => `${b}  articles Article[]\n`), /foreign key Article_ownerId_fkey .* is missing/],
  ];

  it.each(cases)("%s", async (_label, edit, expected) => {
    const problems = diffSchema(await datamodelOf(edit(readSchema())), catalog);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toMatch(expected);
  });
});
