import type { CurrentUser } from "@/lib/auth/session";
import { canResearch, canSeeAllResearch, canUseStudy } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError, fieldError, forbidden, notFound } from "@/lib/http/errors";
import { keyFingerprint, newStudyKey } from "./pseudonym";
import type { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { createStudySchema } from "./schemas";

/** Studies: a name, and the key that makes its pseudonyms. Owned by the researcher who made it. */

export interface StudyDto {
  id: string;
  name: string;
  description: string | null;
  keyFingerprint: string;
  createdAt: string;
  exports: number;
}

const studySelect = {
  id: true,
  name: true,
  description: true,
  keyFingerprint: true,
  createdAt: true,
  _count: { select: { exports: true } },
} satisfies Prisma.ResearchStudySelect;

type StudyRow = { id: string; name: string; description: string | null; keyFingerprint: string; createdAt: Date; _count: { exports: number } };

const toDto = (s: StudyRow): StudyDto => ({
  id: s.id,
  name: s.name,
  description: s.description,
  keyFingerprint: s.keyFingerprint,
  createdAt: s.createdAt.toISOString(),
  exports: s._count.exports,
});

export async function createStudy(user: CurrentUser, input: z.output<typeof createStudySchema>): Promise<StudyDto> {
  if (!canResearch(user)) throw forbidden("Researchers only.");
  const db = await getDb();
  const key = newStudyKey();
  try {
    const s = await db.researchStudy.create({
      data: { ownerId: user.id, name: input.name, description: input.description ?? null, pseudonymKey: key, keyFingerprint: keyFingerprint(key) },
      select: studySelect,
    });
    return toDto(s);
  } catch (err) {
    if (isUniqueViolation(err)) throw fieldError("name", "is already used by one of your studies", { code: "conflict", summary: "You already have a study with that name." });
    throw err;
  }
}

/** A researcher's own studies; an admin sees every study. */
export async function listStudies(user: CurrentUser): Promise<StudyDto[]> {
  if (!canResearch(user)) throw forbidden("Researchers only.");
  const db = await getDb();
  const rows = await db.researchStudy.findMany({
    where: canSeeAllResearch(user) ? {} : { ownerId: user.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    select: studySelect,
  });
  return rows.map(toDto);
}

/** The study with its key, if `user` may export with it (its owner, or an admin); otherwise 404. */
export async function studyForExport(user: CurrentUser | null, studyId: string) {
  const db = await getDb();
  const s = await db.researchStudy.findUnique({
    where: { id: studyId },
    select: { id: true, name: true, ownerId: true, pseudonymKey: true },
  });
  if (!s) throw notFound("Study");
  if (user && !canUseStudy(user, s)) throw notFound("Study");
  return s;
}

/** Operators' studies (the CLI): found by name among studies with no owner, or made. */
export async function operatorStudy(name: string): Promise<{ id: string; created: boolean }> {
  const db = await getDb();
  return db.$transaction(async (tx) => {
    // NULL owners are distinct for the unique index, so serialise find-or-create on a lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707370)`;
    const found = await tx.researchStudy.findFirst({ where: { ownerId: null, name }, select: { id: true } });
    if (found) return { id: found.id, created: false };
    const key = newStudyKey();
    const s = await tx.researchStudy.create({
      data: { ownerId: null, name, pseudonymKey: key, keyFingerprint: keyFingerprint(key) },
      select: { id: true },
    });
    return { id: s.id, created: true };
  });
}
