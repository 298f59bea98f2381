import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { CurrentUser } from "@/lib/auth/session";
import type { Db } from "@/lib/db/client";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The SQL the app really sends, and PostgreSQL's plan for it. The app's own functions run in
 * this process against a Prisma client that emits query events (same generated client, same
 * adapter, same code path as `next start`); each captured statement is then run again under
 * EXPLAIN (ANALYZE, BUFFERS) with the parameters Prisma bound (adapter-pg sends unnamed
 * statements, so the server plans each execution with its values: a custom plan, as here).
 *
 * lib/db/client.ts has no way to pass Prisma log options, so the capturing client is put in
 * the slot getDb() reads (`globalThis.__annotatedDb`) for the duration of `fn`, and the
 * previous state is restored afterwards.
 */

export interface CapturedQuery {
  sql: string;
  params: unknown[];
  /** Prisma's own timing of the statement (ms, client side). */
  ms: number;
}

interface DbSlot {
  prisma: Db;
  kind: "server" | "embedded";
  ready?: Promise<Db>;
}

export async function captureQueries<T>(databaseUrl: string, fn: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }> {
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }),
    omit: { user: { passwordHash: true } },
    log: [{ emit: "event", level: "query" }],
  });
  const queries: CapturedQuery[] = [];
  client.$on("query", (e) => {
    let params: unknown[] = [];
    try {
      params = JSON.parse(e.params) as unknown[];
    } catch {
      /* leave empty */
    }
    queries.push({ sql: e.query, params, ms: e.duration });
  });
  const g = globalThis as typeof globalThis & { __annotatedDb?: DbSlot };
  const saved = g.__annotatedDb;
  const prisma = client as unknown as Db;
  g.__annotatedDb = { prisma, kind: "server", ready: Promise.resolve(prisma) };
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    g.__annotatedDb = saved;
    await client.$disconnect();
  }
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Rows Removed by Filter"?: number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

export interface ExplainResult {
  /** A short label: the table the statement reads. */
  table: string;
  sql: string;
  params: unknown[];
  text: string;
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  /** Every scan: "Index Scan using X on T (rows N, removed by filter M)". */
  scans: string[];
  indexes: string[];
  seqScans: string[];
  /** The node types from the root down the first child chain, e.g. Limit > Incremental Sort > Index Scan. */
  shape: string;
}

function walk(n: PlanNode, visit: (n: PlanNode) => void): void {
  visit(n);
  for (const c of n.Plans ?? []) walk(c, visit);
}

export async function explainAll(databaseUrl: string, queries: CapturedQuery[]): Promise<ExplainResult[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const out: ExplainResult[] = [];
    for (const q of queries) {
      if (!/^\s*SELECT/i.test(q.sql)) continue;
      const text = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params)).rows
        .map((r) => r["QUERY PLAN"])
        .join("\n");
      const json = (await client.query<{ "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number; "Planning Time": number }] }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.sql}`,
        q.params,
      )).rows[0]!["QUERY PLAN"][0];
      const scans: string[] = [];
      const indexes: string[] = [];
      const seqScans: string[] = [];
      walk(json.Plan, (n) => {
        if (!/Scan/.test(n["Node Type"]) || !n["Relation Name"]) return;
        const label = `${n["Node Type"]}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""} on ${n["Relation Name"]}`;
        const removed = n["Rows Removed by Filter"] ? `, ${n["Rows Removed by Filter"]} removed by filter` : "";
        scans.push(`${label} (rows ${n["Actual Rows"]}${(n["Actual Loops"] ?? 1) > 1 ? ` × ${n["Actual Loops"]} loops` : ""}${removed})`);
        if (n["Index Name"]) indexes.push(n["Index Name"]);
        if (n["Node Type"] === "Seq Scan") seqScans.push(n["Relation Name"]);
      });
      const shape: string[] = [];
      for (let n: PlanNode | undefined = json.Plan; n; n = n.Plans?.[0]) shape.push(n["Node Type"]);
      const table = /FROM\s+"public"\."(\w+)"/.exec(q.sql)?.[1] ?? /FROM\s+"(\w+)"/.exec(q.sql)?.[1] ?? "?";
      out.push({
        table,
        sql: q.sql,
        params: q.params,
        text,
        executionMs: json["Execution Time"],
        planningMs: json["Planning Time"],
        sharedHit: json.Plan["Shared Hit Blocks"] ?? 0,
        sharedRead: json.Plan["Shared Read Blocks"] ?? 0,
        scans,
        indexes,
        seqScans,
        shape: shape.join(" › "),
      });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Runs the app's listQueue in-process and explains every statement it sends. */
export async function explainQueue(
  databaseUrl: string,
  moderator: CurrentUser,
  query: Record<string, string>,
): Promise<{ items: number; queries: CapturedQuery[]; plans: ExplainResult[] }> {
  const { listQueue } = await import("@/lib/moderation/list-queue");
  const { queueQuerySchema } = await import("@/lib/moderation/schemas");
  const q = queueQuerySchema.parse(query);
  const { result, queries } = await captureQueries(databaseUrl, () => listQueue(moderator, q));
  const plans = await explainAll(databaseUrl, queries);
  return { items: result.items.length, queries, plans };
}
