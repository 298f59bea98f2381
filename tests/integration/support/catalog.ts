import type { SqlConnection } from "@/lib/db/sql";

/**
 * The database's own description of its schema (information_schema and pg_catalog), read the
 * same way on PostgreSQL 15 and on PGlite (PostgreSQL 18). Used to snapshot a migrated
 * database and to compare it with schema.prisma.
 */

export interface Column {
  table: string;
  name: string;
  position: number;
  dataType: string;
  udtName: string;
  nullable: boolean;
  default: string | null;
  maxLength: number | null;
  datetimePrecision: number | null;
  /** A stored generated column's expression (GENERATED ALWAYS AS … STORED), else null. */
  generated: string | null;
}

export interface Index {
  table: string;
  name: string;
  unique: boolean;
  primary: boolean;
  columns: (string | null)[];
  descending: boolean[];
  predicate: string | null;
  method: string;
  definition: string;
}

export interface ForeignKey {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** pg_constraint codes: a = no action, r = restrict, c = cascade, n = set null, d = set default */
  onDelete: string;
  onUpdate: string;
}

export interface Constraint {
  table: string;
  name: string;
  type: string;
  definition: string;
}

export interface Catalog {
  tables: string[];
  columns: Column[];
  enums: { name: string; values: string[] }[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
  constraints: Constraint[];
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function readCatalog(conn: SqlConnection): Promise<Catalog> {
  const tables = await conn.query<{ table_name: string }>(
    `SELECT table_name::text FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const columns = await conn.query<Record<string, unknown>>(
    `SELECT table_name::text, column_name::text, ordinal_position, data_type::text, udt_name::text,
            is_nullable::text, column_default::text, character_maximum_length, datetime_precision,
            CASE WHEN is_generated = 'ALWAYS' THEN generation_expression::text END AS generated
     FROM information_schema.columns WHERE table_schema = current_schema()
     ORDER BY table_name, ordinal_position`,
  );
  const enums = await conn.query<{ name: string; values: string[] }>(
    `SELECT t.typname::text AS name, json_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = current_schema() GROUP BY t.typname ORDER BY 1`,
  );
  const indexes = await conn.query<Record<string, unknown>>(
    `SELECT t.relname::text AS table, c.relname::text AS name, i.indisunique AS unique, i.indisprimary AS primary,
            json_agg(a.attname::text ORDER BY k.ord) AS columns,
            json_agg(coalesce(k.opt & 1, 0) = 1 ORDER BY k.ord) AS descending,
            pg_get_expr(i.indpred, i.indrelid) AS predicate, am.amname::text AS method,
            pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indexrelid
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_am am ON am.oid = c.relam
     CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indoption::int2[]) WITH ORDINALITY AS k(attnum, opt, ord)
     LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
     WHERE n.nspname = current_schema()
     GROUP BY t.relname, c.relname, i.indisunique, i.indisprimary, i.indpred, i.indrelid, i.indexrelid, am.amname
     ORDER BY 1, 2`,
  );
  const foreignKeys = await conn.query<Record<string, unknown>>(
    `SELECT t.relname::text AS table, c.conname::text AS name, rt.relname::text AS referenced_table,
            (SELECT json_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
            (SELECT json_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS referenced_columns,
            c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class rt ON rt.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()
     ORDER BY 1, 2`,
  );
  const constraints = await conn.query<Record<string, unknown>>(
    `SELECT t.relname::text AS table, c.conname::text AS name, c.contype::text AS type,
            pg_get_constraintdef(c.oid) AS definition
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE n.nspname = current_schema()
     ORDER BY 1, 2, 3`,
  );

  return {
    tables: tables.map((t) => t.table_name),
    columns: columns.map((c) => ({
      table: String(c.table_name),
      name: String(c.column_name),
      position: Number(c.ordinal_position),
      dataType: String(c.data_type),
      udtName: String(c.udt_name),
      nullable: c.is_nullable === "YES",
      default: (c.column_default as string | null) ?? null,
      maxLength: num(c.character_maximum_length),
      datetimePrecision: num(c.datetime_precision),
      generated: (c.generated as string | null) ?? null,
    })),
    enums: enums.map((e) => ({ name: e.name, values: e.values })),
    indexes: indexes.map((i) => ({
      table: String(i.table),
      name: String(i.name),
      unique: Boolean(i.unique),
      primary: Boolean(i.primary),
      columns: i.columns as (string | null)[],
      descending: i.descending as boolean[],
      predicate: (i.predicate as string | null) ?? null,
      method: String(i.method),
      definition: String(i.definition),
    })),
    foreignKeys: foreignKeys.map((f) => ({
      table: String(f.table),
      name: String(f.name),
      columns: f.columns as string[],
      referencedTable: String(f.referenced_table),
      referencedColumns: f.referenced_columns as string[],
      onDelete: String(f.on_delete),
      onUpdate: String(f.on_update),
    })),
    constraints: constraints.map((c) => ({
      table: String(c.table),
      name: String(c.name),
      type: String(c.type),
      definition: String(c.definition),
    })),
  };
}
