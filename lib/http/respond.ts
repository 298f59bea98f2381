import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { isRecordNotFound, isUniqueViolation } from "@/lib/db/errors";
import { AppError, STATUS } from "./errors";

/** The one place that turns an error into an HTTP answer. No stack traces or raw messages leave. */
export function errorResponse(err: unknown): NextResponse {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (err.details?.retryAfterSeconds) headers["Retry-After"] = String(err.details.retryAfterSeconds);
    return NextResponse.json(
      { error: { code: err.code, message: err.message, ...err.details } },
      { status: STATUS[err.code], headers },
    );
  }
  if (isUniqueViolation(err)) {
    return NextResponse.json({ error: { code: "conflict", message: "That already exists." } }, { status: 409 });
  }
  if (isRecordNotFound(err)) {
    return NextResponse.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
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
