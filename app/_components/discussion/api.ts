import type { ContributionDto } from "@/lib/annotations/dto";
import type { ParagraphSummary } from "@/lib/annotations/summary";

export type { ContributionDto, ParagraphSummary };

export interface ApiError {
  status: number;
  message: string;
  fields: Record<string, string>;
  current?: ContributionDto;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** fetch + JSON with the server's error shape turned into field messages. Never throws. */
export async function api<T>(url: string, init?: RequestInit): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: init?.body ? { "content-type": "application/json", ...init.headers } : init?.headers,
    });
  } catch {
    return { ok: false, error: { status: 0, message: "Could not reach the server. Nothing was lost; try again.", fields: {} } };
  }
  if (res.status === 204) return { ok: true, data: undefined as T };
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: undefined })
    | { error: { message?: string; fields?: { field: string; message: string }[]; current?: ContributionDto } }
    | null;
  if (res.ok && body && !("error" in body && body.error)) return { ok: true, data: body as T };
  const err = (body as { error?: { message?: string; fields?: { field: string; message: string }[]; current?: ContributionDto } } | null)?.error;
  const fields: Record<string, string> = {};
  for (const f of err?.fields ?? []) fields[f.field] ??= f.message;
  const fallback =
    res.status === 401
      ? "Your session has ended. Sign in again; your text is still here."
      : res.status === 429
        ? "Too many requests. Wait a moment and try again."
        : "Something went wrong. Nothing was lost; try again.";
  // A 401 here means the session ended while the page was open: say so, and that nothing is lost.
  const message = res.status === 401 ? fallback : (err?.message ?? fallback);
  return { ok: false, error: { status: res.status, message, fields, current: err?.current } };
}
