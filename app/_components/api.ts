/**
 * The one way client components talk to the API. JSON in, JSON out: a body is always sent as
 * `application/json` (the server refuses anything else on a state-changing request, see
 * lib/http/origin.ts), and the server's error shape `{error: {code, message, fields?, current?}}`
 * becomes a message, field messages and, on 409, the current state. Never throws.
 */

export interface ApiError {
  /** The HTTP status; 0 when the server could not be reached. */
  status: number;
  message: string;
  /** First message per field, from a 422. */
  fields: Record<string, string>;
  /** On 409: the current state of what changed (shape depends on the endpoint). */
  current?: unknown;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

interface ErrorBody {
  error?: { message?: string; fields?: { field: string; message: string }[]; current?: unknown };
}

/** GET `url` (never from the HTTP cache: the answers change with what people post). */
export function getJson<T>(url: string): Promise<ApiResult<T>> {
  return send<T>(url, "GET");
}

/** `method` on `url`, with `body` (if any) as JSON. */
export async function send<T>(url: string, method: Method, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      cache: "no-store",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { status: 0, message: "Could not reach the server. Nothing was lost or changed; try again.", fields: {} } };
  }
  if (res.status === 204) return { ok: true, data: undefined as T };
  const json = (await res.json().catch(() => null)) as (T & ErrorBody) | null;
  if (res.ok && json && !json.error) return { ok: true, data: json };
  const err = json?.error;
  const fields: Record<string, string> = {};
  for (const f of err?.fields ?? []) fields[f.field] ??= f.message;
  return { ok: false, error: { status: res.status, message: messageFor(res.status, err?.message), fields, current: err?.current } };
}

function messageFor(status: number, serverMessage: string | undefined): string {
  // A 401 here means the session ended while the page was open: say so, and that nothing is lost.
  if (status === 401) return "Your session has ended. Sign in again; what you typed is still here.";
  if (serverMessage) return serverMessage;
  if (status === 403) return "You are not allowed to do this.";
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  return "Something went wrong. Nothing was changed; try again.";
}
