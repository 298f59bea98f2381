import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { isDatabaseUnavailable, isRecordNotFound, isUniqueViolation } from "@/lib/db/errors";
import { appErrorResponse } from "./app-error-response";
import { AppError, validationError } from "./errors";

/** Seconds a client is asked to wait when the database is unavailable (a restart takes a few). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The one place that turns an error into an HTTP answer. No stack traces or raw messages leave. */
export function errorResponse(err: unknown): NextResponse {
  if (err instanceof AppError) return appErrorResponse(err);
  if (isUniqueViolation(err)) {
    return NextResponse.json({ error: { code: "conflict", message: "That already exists." } }, { status: 409 });
  }
  if (isRecordNotFound(err)) {
    return NextResponse.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
  }
  if (isDatabaseUnavailable(err)) {
    // Expected during a database restart or failover: one line, no stack; the client retries.
    console.warn(`[db] unavailable: ${(err as Error).message.trim().split("\n").pop()}`);
    return errorResponse(
      new AppError("unavailable", "The database is unavailable; try again shortly.", { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS }),
    );
  }
  const requestId = randomUUID();
  console.error(`[request ${requestId}] unexpected error`, err);
  return NextResponse.json(
    { error: { code: "internal", message: "Something went wrong on our side.", requestId } },
    { status: 500 },
  );
}

export function json(data: unknown, status = 200): NextResponse {
  return NextResponse.json(data, { status });
}

/** Wraps a route handler so every thrown error goes through errorResponse. */
export function handler<A extends unknown[]>(fn: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await fn(...args);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/**
 * The first string in `value` that PostgreSQL could not store as sent: a NUL character (refused
 * by PostgreSQL: a 500) or half of a UTF-16 surrogate pair (silently stored as U+FFFD).
 */
export function findUnstorableText(value: unknown, path: string[] = []): { field: string; message: string } | null {
  if (typeof value === "string") {
    if (value.includes("\u0000")) return { field: path.join(".") || "(body)", message: "must not contain a NUL character (U+0000)" };
    if (!value.isWellFormed()) return { field: path.join(".") || "(body)", message: "contains half of a character (a lone UTF-16 surrogate)" };
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const found = findUnstorableText(k, [...path, k]) ?? findUnstorableText(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Parses a JSON request body with a zod schema; 400 for unparseable JSON, 422 for bad fields. */
export async function parseJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AppError("bad_request", "The request body must be JSON.");
  }
  const unstorable = findUnstorableText(body);
  if (unstorable) throw new AppError("validation", `${unstorable.field}: ${unstorable.message}`, { fields: [unstorable] });
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Parses URL search params (or route params) with a zod schema; 422 on bad values. */
export function parseParams<S extends z.ZodType>(input: Record<string, unknown>, schema: S): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
