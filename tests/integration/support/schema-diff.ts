import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Catalog, Column } from "./catalog";

/**
 * Compares schema.prisma (its DMMF, read offline with @prisma/internals) with a migrated
 * database's catalog and lists every difference, in words. An empty list means the
 * hand-written migrations produce exactly what Prisma's client expects, which is also what
 * `prisma migrate diff` would call "no drift".
 */

export const SCHEMA_PATH = path.join(process.cwd(), "prisma", "schema.prisma");
export const readSchema = () => readFileSync(SCHEMA_PATH, "utf8");

// Only the parts of Prisma's DMMF this comparison reads.
export interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt?: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}
export interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  name?: string | null;
  dbName?: string | null;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
  /** `type:` of an @@index (Gin, Gist, …); absent for a B-tree. */
  algorithm?: string;
}
export interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

const require = createRequire(import.meta.url);

/** @prisma/internals is CommonJS and heavy: loaded once, on first use. */
export async function datamodelOf(schema: string): Promise<Datamodel> {
  const { getDMMF } = require("@prisma/internals") as {
    getDMMF: (o: { datamodel: string }) => Promise<{ datamodel: Datamodel }>;
  };
  const dm = (await getDMMF({ datamodel: schema })).datamodel;
  for (const m of dm.models) m.fields.push(...unsupportedFields(schema, m.name));
  return dm;
}

/**
 * The DMMF leaves out `Unsupported("…")` fields (the client cannot read or write them), but the
 * database has their columns: read them from the model's block in the schema text.
 */
function unsupportedFields(schema: string, model: string): DmmfField[] {
  const block = new RegExp(`model\\s+${model}\\s*\\{([^}]*)\\}`).exec(schema)?.[1] ?? "";
  return [...block.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?([^\n]*)$/gm)].map((m) => ({
    name: m[1]!,
    dbName: /@map\("([^"]+)"\)/.exec(m[4]!)?.[1] ?? null,
    kind: "unsupported",
    type: m[2]!,
    isList: false,
    isRequired: m[3] !== "?",
    hasDefaultValue: false,
  }));
}

const MAX_IDENT = 63;
const quoteIdent = (s: string) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Prisma's default constraint and index names: `<Table>_<col>_<col>_<suffix>`, cut to 63 characters. */
function prismaName(table: string, columns: string[], suffix: string): string {
  const base = [table, ...columns].join("_");
  return base.length + suffix.length + 1 > MAX_IDENT ? `${base.slice(0, MAX_IDENT - suffix.length - 1)}_${suffix}` : `${base}_${suffix}`;
}

const ON_ACTION: Record<string, string> = { Cascade: "c", Restrict: "r", NoAction: "a", SetNull: "n", SetDefault: "d" };

interface ExpectedType {
  dataType: string;
  udtName?: string;
  datetimePrecision?: number;
  maxLength?: number;
}

/** Prisma's PostgreSQL mapping for a scalar/enum field, as information_schema reports it. */
function expectedType(f: DmmfField, enumDbName: (e: string) => string): ExpectedType | string {
  const [native, args = []] = f.nativeType ?? [];
  const arg = args[0] !== undefined ? Number(args[0]) : undefined;
  let t: ExpectedType | string;
  if (f.kind === "enum") t = { dataType: "USER-DEFINED", udtName: enumDbName(f.type) };
  else if (f.kind === "unsupported") t = { dataType: f.type, udtName: f.type };
  else {
    switch (`${f.type}:${native ?? ""}`) {
      case "String:":
      case "String:Text":
        t = { dataType: "text" };
        break;
      case "String:Uuid":
        t = { dataType: "uuid" };
        break;
      case "String:VarChar":
        t = { dataType: "character varying", maxLength: arg };
        break;
      case "String:Citext":
        t = { dataType: "USER-DEFINED", udtName: "citext" };
        break;
      case "Int:":
      case "Int:Integer":
        t = { dataType: "integer" };
        break;
      case "Int:SmallInt":
        t = { dataType: "smallint" };
        break;
      case "BigInt:":
      case "BigInt:BigInt":
        t = { dataType: "bigint" };
        break;
      case "Float:":
      case "Float:DoublePrecision":
        t = { dataType: "double precision" };
        break;
      case "Float:Real":
        t = { dataType: "real" };
        break;
      case "Decimal:":
      case "Decimal:Decimal":
        t = { dataType: "numeric" };
        break;
      case "Boolean:":
      case "Boolean:Boolean":
        t = { dataType: "boolean" };
        break;
      case "DateTime:":
        t = { dataType: "timestamp without time zone", datetimePrecision: 3 };
        break;
      case "DateTime:Timestamp":
        t = { dataType: "timestamp without time zone", datetimePrecision: arg ?? 6 };
        break;
      case "DateTime:Timestamptz":
        t = { dataType: "timestamp with time zone", datetimePrecision: arg ?? 6 };
        break;
      case "DateTime:Date":
        t = { dataType: "date" };
        break;
      case "Json:":
      case "Json:JsonB":
        t = { dataType: "jsonb" };
        break;
      case "Json:Json":
        t = { dataType: "json" };
        break;
      case "Bytes:":
      case "Bytes:ByteA":
        t = { dataType: "bytea" };
        break;
      default:
        return `${f.type} @db.${native}: this test does not know the column type yet; add the mapping to tests/integration/support/schema-diff.ts`;
    }
  }
  if (f.isList && typeof t !== "string") {
    const udt = t.udtName ?? ({ text: "text", integer: "int4", uuid: "uuid", boolean: "bool", bigint: "int8" } as Record<string, string>)[t.dataType];
    return { dataType: "ARRAY", udtName: `_${udt ?? t.dataType}` };
  }
  return t;
}

/** Whether the column's default is the one Prisma would create; returns a description if not. */
function defaultMismatch(f: DmmfField, col: Column, enumDbName: (e: string) => string): string | null {
  const actual = col.default;
  const d = f.default;
  const want = (ok: boolean, expected: string) => (ok ? null : `default should be ${expected}, is ${actual ?? "none"}`);
  if (!f.hasDefaultValue || f.isUpdatedAt || d === undefined) return want(actual === null, "none");
  if (typeof d === "object" && d !== null && !Array.isArray(d) && "name" in d) {
    const fn = (d as { name: string; args?: unknown[] }).name;
    if (fn === "now") return want(actual !== null && /^(now\(\)|CURRENT_TIMESTAMP)$/i.test(actual), "now()/CURRENT_TIMESTAMP");
    // Generated by Prisma's client, not by the database.
    if (["uuid", "cuid", "nanoid", "ulid"].includes(fn)) return want(actual === null, `none (${fn}() is generated by the client)`);
    if (fn === "autoincrement") return want(actual !== null && /^nextval\(/.test(actual), "a sequence (autoincrement)");
    if (fn === "dbgenerated") return want(actual !== null, "a database-generated value");
    return `default ${fn}() is not understood by this test yet`;
  }
  if (Array.isArray(d)) {
    // A scalar list: only the empty list is understood (Prisma writes ARRAY[]::TEXT[]).
    if (d.length > 0) return `default ${JSON.stringify(d)} is not understood by this test yet`;
    return want(actual !== null && /^(ARRAY\[\]::\w+\[\]|'\{\}'::\w+\[\])$/.test(actual), "an empty array");
  }
  if (f.kind === "enum") {
    const lit = `${quoteLiteral(String(d))}::${quoteIdent(enumDbName(f.type))}`;
    return want(actual === lit, lit);
  }
  switch (f.type) {
    case "Boolean":
      return want(actual === String(d), String(d));
    case "Int":
    case "BigInt":
    case "Float":
    case "Decimal": {
      const n = String(d);
      const forms = [n, `(${n})`, `${quoteLiteral(n)}::${col.dataType === "integer" ? "integer" : col.dataType}`];
      return want(actual !== null && forms.includes(actual), n);
    }
    case "String": {
      const lit = `${quoteLiteral(String(d))}::text`;
      return want(actual === lit, lit);
    }
    default:
      return want(actual !== null, JSON.stringify(d));
  }
}

export function diffSchema(dm: Datamodel, db: Catalog): string[] {
  const problems: string[] = [];
  const tableOf = new Map(dm.models.map((m) => [m.name, m.dbName ?? m.name]));
  const enumDb = new Map(dm.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const enumDbName = (e: string) => enumDb.get(e) ?? e;
  const columnOf = (model: string, field: string) => {
    const f = dm.models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    return f?.dbName ?? field;
  };

  // Enums: same names, same values in the same order, nothing extra.
  for (const e of dm.enums) {
    const name = enumDbName(e.name);
    const actual = db.enums.find((x) => x.name === name);
    const values = e.values.map((v) => v.dbName ?? v.name);
    if (!actual) problems.push(`enum ${name} is missing`);
    else if (JSON.stringify(actual.values) !== JSON.stringify(values)) {
      problems.push(`enum ${name} has values ${actual.values.join(",")}, schema.prisma says ${values.join(",")}`);
    }
  }
  for (const e of db.enums) {
    if (![...enumDb.values()].includes(e.name)) problems.push(`enum ${e.name} is in the database but not in schema.prisma`);
  }

  // Tables and columns.
  const expectedTables = new Set([...tableOf.values(), "_prisma_migrations"]);
  for (const t of db.tables) if (!expectedTables.has(t)) problems.push(`table ${t} is in the database but not in schema.prisma`);
  for (const m of dm.models) {
    const table = tableOf.get(m.name)!;
    if (!db.tables.includes(table)) {
      problems.push(`table ${table} (model ${m.name}) is missing`);
      continue;
    }
    const cols = db.columns.filter((c) => c.table === table);
    const scalar = m.fields.filter((f) => f.kind === "scalar" || f.kind === "enum" || f.kind === "unsupported");
    for (const f of scalar) {
      const name = f.dbName ?? f.name;
      const where = `${table}.${name}`;
      const col = cols.find((c) => c.name === name);
      if (!col) {
        problems.push(`column ${where} (${m.name}.${f.name}) is missing`);
        continue;
      }
      const t = expectedType(f, enumDbName);
      if (typeof t === "string") problems.push(`${where}: ${t}`);
      else {
        if (col.dataType !== t.dataType) problems.push(`${where} is ${col.dataType}, schema.prisma says ${t.dataType}`);
        if (t.udtName && col.udtName !== t.udtName) problems.push(`${where} has type ${col.udtName}, schema.prisma says ${t.udtName}`);
        if (t.datetimePrecision !== undefined && col.datetimePrecision !== t.datetimePrecision) {
          problems.push(`${where} has precision ${col.datetimePrecision}, schema.prisma says ${t.datetimePrecision}`);
        }
        if (t.maxLength !== undefined && col.maxLength !== t.maxLength) {
          problems.push(`${where} has length ${col.maxLength}, schema.prisma says ${t.maxLength}`);
        }
      }
      const nullable = !f.isRequired;
      if (col.nullable !== nullable) problems.push(`${where} is ${col.nullable ? "NULL" : "NOT NULL"}, schema.prisma says ${nullable ? "optional" : "required"}`);
      const d = defaultMismatch(f, col, enumDbName);
      if (d) problems.push(`${where}: ${d}`);
      // The client writes every field it knows: only a field it cannot write may be generated.
      if (col.generated && f.kind !== "unsupported") problems.push(`${where} is generated by the database; declare it Unsupported("${col.udtName}") so the client never writes it`);
    }
    for (const c of cols) {
      if (!scalar.some((f) => (f.dbName ?? f.name) === c.name)) problems.push(`column ${table}.${c.name} is in the database but not in schema.prisma`);
    }
  }

  // Indexes: @id/@@id, @unique/@@unique and @@index, with names, columns, order and uniqueness.
  const expectedIndexes = dm.indexes
    .filter((i) => i.type !== "fulltext")
    .map((i) => {
      const table = tableOf.get(i.model)!;
      const columns = i.fields.map((f) => columnOf(i.model, f.name));
      const suffix = i.type === "id" ? "pkey" : i.type === "unique" ? "key" : "idx";
      const name = i.dbName ?? (i.type === "id" ? `${table}_pkey` : prismaName(table, columns, suffix));
      return {
        table,
        name,
        columns,
        descending: i.fields.map((f) => f.sortOrder === "desc"),
        unique: i.type !== "normal",
        method: (i.algorithm ?? "BTree").toLowerCase(),
        primary: i.type === "id",
        source: `${i.model} ${i.type === "id" ? "@id" : i.type === "unique" ? "@unique" : "@@index"}(${i.fields.map((f) => f.name + (f.sortOrder === "desc" ? "(sort: Desc)" : "")).join(", ")})`,
      };
    });
  const userIndexes = db.indexes.filter((i) => expectedTables.has(i.table) && i.table !== "_prisma_migrations");
  for (const e of expectedIndexes) {
    const ix = userIndexes.find((i) => i.table === e.table && i.name === e.name);
    if (!ix) {
      const similar = userIndexes.find((i) => i.table === e.table && JSON.stringify(i.columns) === JSON.stringify(e.columns));
      problems.push(`index ${e.name} for ${e.source} is missing${similar ? ` (an index ${similar.name} has the same columns)` : ""}`);
      continue;
    }
    const label = `index ${e.name}`;
    if (JSON.stringify(ix.columns) !== JSON.stringify(e.columns)) problems.push(`${label} is on (${ix.columns.join(", ")}), schema.prisma says (${e.columns.join(", ")})`);
    if (JSON.stringify(ix.descending) !== JSON.stringify(e.descending)) problems.push(`${label} has sort orders ${JSON.stringify(ix.descending)} (true = DESC), schema.prisma says ${JSON.stringify(e.descending)}`);
    if (ix.unique !== e.unique) problems.push(`${label} is ${ix.unique ? "" : "not "}unique, schema.prisma says ${e.unique ? "unique" : "not unique"}`);
    if (ix.primary !== e.primary) problems.push(`${label} is ${ix.primary ? "" : "not "}the primary key`);
    if (ix.predicate) problems.push(`${label} is partial (WHERE ${ix.predicate}); schema.prisma cannot express that`);
    if (ix.method !== e.method) problems.push(`${label} uses ${ix.method}, schema.prisma says ${e.method}`);
  }
  for (const ix of userIndexes) {
    if (!expectedIndexes.some((e) => e.table === ix.table && e.name === ix.name)) {
      problems.push(`index ${ix.name} on ${ix.table} is in the database but not in schema.prisma`);
    }
  }

  // Foreign keys: one per relation field that holds `fields: [...]`.
  const expectedFks = dm.models.flatMap((m) =>
    m.fields
      .filter((f) => f.kind === "object" && f.relationFromFields && f.relationFromFields.length > 0)
      .map((f) => {
        const table = tableOf.get(m.name)!;
        const columns = f.relationFromFields!.map((x) => columnOf(m.name, x));
        const optional = f.relationFromFields!.some((x) => !m.fields.find((y) => y.name === x)?.isRequired);
        const onDelete = f.relationOnDelete ?? (optional ? "SetNull" : "Restrict");
        const onUpdate = f.relationOnUpdate ?? "Cascade";
        return {
          table,
          name: prismaName(table, columns, "fkey"),
          columns,
          referencedTable: tableOf.get(f.type)!,
          referencedColumns: (f.relationToFields ?? []).map((x) => columnOf(f.type, x)),
          onDelete: ON_ACTION[onDelete] ?? onDelete,
          onUpdate: ON_ACTION[onUpdate] ?? onUpdate,
          source: `${m.name}.${f.name} (onDelete: ${onDelete}, onUpdate: ${onUpdate})`,
        };
      }),
  );
  const actualFks = db.foreignKeys.filter((k) => k.table !== "_prisma_migrations");
  for (const e of expectedFks) {
    const fk = actualFks.find((k) => k.table === e.table && JSON.stringify(k.columns) === JSON.stringify(e.columns));
    if (!fk) {
      problems.push(`foreign key ${e.name} for ${e.source} is missing`);
      continue;
    }
    const label = `foreign key ${fk.name} (${e.source})`;
    if (fk.name !== e.name) problems.push(`${label} should be named ${e.name}`);
    if (fk.referencedTable !== e.referencedTable || JSON.stringify(fk.referencedColumns) !== JSON.stringify(e.referencedColumns)) {
      problems.push(`${label} references ${fk.referencedTable}(${fk.referencedColumns.join(", ")}), schema.prisma says ${e.referencedTable}(${e.referencedColumns.join(", ")})`);
    }
    if (fk.onDelete !== e.onDelete) problems.push(`${label} has ON DELETE '${fk.onDelete}', schema.prisma says '${e.onDelete}'`);
    if (fk.onUpdate !== e.onUpdate) problems.push(`${label} has ON UPDATE '${fk.onUpdate}', schema.prisma says '${e.onUpdate}'`);
  }
  for (const fk of actualFks) {
    if (!expectedFks.some((e) => e.table === fk.table && JSON.stringify(e.columns) === JSON.stringify(fk.columns))) {
      problems.push(`foreign key ${fk.name} on ${fk.table} is in the database but not in schema.prisma`);
    }
  }

  // Unique and primary-key constraints other than the indexes above would be invisible to Prisma.
  for (const c of db.constraints) {
    if (c.table === "_prisma_migrations") continue;
    if (c.type === "p" && !expectedIndexes.some((e) => e.primary && e.name === c.name)) problems.push(`primary key ${c.name} on ${c.table} is not in schema.prisma`);
    if (c.type === "u") problems.push(`unique constraint ${c.name} on ${c.table}: Prisma creates unique indexes, not constraints`);
    if (c.type === "x") problems.push(`exclusion constraint ${c.name} on ${c.table} is not in schema.prisma`);
  }

  return problems;
}
