import type { z } from "zod";

/** Typed application errors; lib/http/respond.ts maps each code to one HTTP status. */
export type ErrorCode =
  | "bad_request"
  | "validation"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "stale"
  | "gone"
  | "unsupported_media_type"
  | "payload_too_large"
  | "rate_limited"
  | "unavailable";

export interface FieldIssue {
  field: string;
  message: string;
}

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fields?: FieldIssue[]; current?: unknown; retryAfterSeconds?: number },
  ) {
    super(message);
  }
}

export const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
}

export function validationError(error: z.ZodError): AppError {
  const fields = fieldIssues(error);
  const first = fields[0];
  return new AppError("validation", first ? `${first.field}: ${first.message}` : "Invalid input.", { fields });
}

/**
 * An error about one field, shaped like zod's: `details.fields` names it, and the message is
 * "field: message" unless a `summary` is given. 422 unless another `code` is given.
 */
export function fieldError(field: string, message: string, opts: { code?: ErrorCode; summary?: string } = {}): AppError {
  return new AppError(opts.code ?? "validation", opts.summary ?? `${field}: ${message}`, { fields: [{ field, message }] });
}

export const unauthenticated = () => new AppError("unauthenticated", "Sign in to do this.");
export const forbidden = (msg = "You are not allowed to do this.") => new AppError("forbidden", msg);
export const notFound = (what: string) => new AppError("not_found", `${what} not found.`);
