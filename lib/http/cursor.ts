import { AppError } from "./errors";

/** Keyset cursors: (time, uuid) encoded as base64url. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const at = new Date(iso ?? "");
  if (!id || Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError("validation", "cursor: is not a valid cursor", { fields: [{ field: "cursor", message: "is not a valid cursor" }] });
  }
  return { at, id };
}
