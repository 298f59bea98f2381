import { Prisma } from "@/lib/generated/prisma/client";

/** Prisma's unique-constraint violation (P2002), recognised by code, never by message text. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/** Prisma's "record to update/delete not found" (P2025). */
export function isRecordNotFound(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025";
}

/** What @prisma/adapter-pg reports when it cannot talk to the server (DriverAdapterError cause kinds). */
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** Socket error codes node-postgres passes through from `net`. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/**
 * SQLSTATEs that mean "the server is going away or not accepting connections": class 08
 * (connection exception), admin/crash shutdown and "starting up" (57P01–57P03, what a
 * `pg_ctl restart` produces), too many connections (53300).
 */
const isUnavailableSqlState = (code: string) => /^08[0-9A-Z]{3}$/.test(code) || code === "57P01" || code === "57P02" || code === "57P03" || code === "53300";
/**
 * node-postgres raises these without any code (a closed socket, a connect timeout, a pool that
 * waited past connectionTimeoutMillis, a dead client used again); they are the library's own
 * fixed texts (pg/lib/client.js, pg-pool/index.js), not the server's.
 */
const PG_CODELESS = new Set([
  "Connection terminated unexpectedly",
  "Connection terminated due to connection timeout",
  "Connection terminated",
  "timeout exceeded when trying to connect",
  // A transaction's connection that died under it (e.g. a restart) and is used again.
  "Client has encountered a connection error and is not queryable",
]);
/** Prisma: "can't reach database server" (P1001), "server closed the connection" (P1017), "timed out starting a transaction" (P2028, waiting for a pooled connection). */
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1017", "P2024", "P2028"]);

/**
 * True when `err` says the database cannot be reached right now (down, restarting, refusing
 * connections, or no pooled connection within the timeout), as opposed to a bad query. Errors
 * come in three shapes: Prisma's known errors carrying the adapter's DriverAdapterError (whose
 * `cause` has a `kind`, or the server's SQLSTATE as `originalCode`), node-postgres errors from
 * the raw-SQL paths (`code` = socket code or SQLSTATE), and node-postgres's code-less connection
 * errors (matched by their fixed text — the only thing they carry), possibly as a `cause`.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 4) return false;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (PRISMA_UNAVAILABLE.has(err.code)) return true;
    const cause = (err.meta?.driverAdapterError as { cause?: { kind?: string; originalCode?: string } } | undefined)?.cause;
    if (cause?.kind && UNREACHABLE_KINDS.has(cause.kind)) return true;
    return typeof cause?.originalCode === "string" && isUnavailableSqlState(cause.originalCode);
  }
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === "string" && (SOCKET_CODES.has(e.code) || isUnavailableSqlState(e.code))) return true;
  if (err instanceof Error && e.code === undefined && PG_CODELESS.has(err.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
