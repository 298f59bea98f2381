import { NextResponse } from "next/server";
import { AppError, STATUS } from "./errors";

/**
 * An AppError as its HTTP answer: `{error: {code, message, ...details}}` with the status of its
 * code. Used by errorResponse (lib/http/respond.ts) and by proxy.ts, which must not load the
 * database client that errorResponse's other branches need.
 */
export function appErrorResponse(err: AppError): NextResponse {
  const headers: Record<string, string> = {};
  if (err.details?.retryAfterSeconds) headers["Retry-After"] = String(err.details.retryAfterSeconds);
  return NextResponse.json({ error: { code: err.code, message: err.message, ...err.details } }, { status: STATUS[err.code], headers });
}
