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

// Request parsing lives in ./parse.ts; re-exported here so route handlers import one module.
export { findUnstorableText, parseJson, parseParams, parseQuery } from "./parse";
