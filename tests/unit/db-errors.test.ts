import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Which errors mean "the database cannot be reached right now" (503) rather than a bad query.
 * The shapes are the ones seen with a real PostgreSQL being stopped, restarted and cut off
 * (tests/integration/db-unavailable.test.ts drives them end to end).
 */

const known = (code: string, cause?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError("Invalid invocation", {
    code,
    clientVersion: "7.10.0",
    meta: cause ? { driverAdapterError: Object.assign(new Error("adapter"), { name: "DriverAdapterError", cause }) } : undefined,
  });
const pgError = (code: string, message = "server message") => Object.assign(new Error(message), { code });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: "connect" });

describe("isDatabaseUnavailable", () => {
  it("Prisma errors carrying the adapter's connection kinds or a shutdown SQLSTATE", () => {
    expect(isDatabaseUnavailable(known("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 }))).toBe(true);
    expect(isDatabaseUnavailable(known("P1017", { kind: "ConnectionClosed" }))).toBe(true);
    expect(isDatabaseUnavailable(known("P2010", { kind: "DatabaseNotReachable" }))).toBe(true);
    expect(isDatabaseUnavailable(known("P2010", { kind: "postgres", originalCode: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(known("P2039", { kind: "postgres", originalCode: "57P03" }))).toBe(true);
    expect(isDatabaseUnavailable(known("P2010", { kind: "postgres", originalCode: "08006" }))).toBe(true);
    expect(isDatabaseUnavailable(known("P2028"))).toBe(true);
  });

  it("node-postgres errors from the raw-SQL paths: socket codes and SQLSTATEs", () => {
    expect(isDatabaseUnavailable(socketError("ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(socketError("ECONNRESET"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("53300", "sorry, too many clients already"))).toBe(true);
  });

  it("node-postgres's code-less connection errors, also as the cause of another error", () => {
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    const wrapped = new Error("Connection terminated due to connection timeout", { cause: new Error("Connection terminated unexpectedly") });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable(new Error("query failed", { cause: socketError("ECONNREFUSED") }))).toBe(true);
  });

  it("is false for bad queries, constraint violations and ordinary errors", () => {
    expect(isDatabaseUnavailable(known("P2002", { kind: "UniqueConstraintViolation" }))).toBe(false);
    expect(isDatabaseUnavailable(known("P2010", { kind: "postgres", originalCode: "42P01" }))).toBe(false);
    expect(isDatabaseUnavailable(known("P2025"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("23505", "duplicate key value"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("40001", "could not serialize access"))).toBe(false);
    // The same words from somewhere else (a code is present) are not pg's connection errors.
    expect(isDatabaseUnavailable(pgError("XX000", "Connection terminated unexpectedly"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("Connection terminated unexpectedly")).toBe(false);
  });
});
