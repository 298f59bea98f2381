/** fetch + JSON for the moderation screens. Never throws; the server's error shape is kept. */

export interface SendError {
  status: number;
  message: string;
  fields: Record<string, string>;
  /** On 409: the current state of what changed (shape depends on the endpoint). */
  current?: unknown;
}

export type SendResult<T> = { ok: true; data: T } | { ok: false; error: SendError };

export async function send<T>(url: string, method: string, body?: unknown): Promise<SendResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { status: 0, message: "Could not reach the server. Nothing was changed; try again.", fields: {} } };
  }
  if (res.status === 204) return { ok: true, data: undefined as T };
  const json = (await res.json().catch(() => null)) as
    | { error?: { message?: string; fields?: { field: string; message: string }[]; current?: unknown } }
    | null;
  if (res.ok && json && !json.error) return { ok: true, data: json as T };
  const err = json?.error;
  const fields: Record<string, string> = {};
  for (const f of err?.fields ?? []) fields[f.field] ??= f.message;
  const fallback =
    res.status === 401
      ? "Your session has ended. Sign in again."
      : res.status === 403
        ? "You are not allowed to do this."
        : res.status === 429
          ? "Too many requests. Wait a moment and try again."
          : "Something went wrong. Nothing was changed; try again.";
  return { ok: false, error: { status: res.status, message: err?.message ?? fallback, fields, current: err?.current } };
}
