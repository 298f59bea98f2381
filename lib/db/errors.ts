import { Prisma } from "@/lib/generated/prisma/client";

/** Prisma's unique-constraint violation (P2002), recognised by code, never by message text. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/** Prisma's "record to update/delete not found" (P2025). */
export function isRecordNotFound(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025";
}
