import { z } from "zod";

/**
 * Environment variables, parsed once with zod. Read lazily (never at import time) so that
 * `next build` can import route modules without a database or a secret.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .trim()
      .min(1)
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgresql:// URL")
      .optional(),
    /** Where the embedded database keeps its files; `memory://` for an in-memory one (tests). */
    PGLITE_DIR: z.string().trim().min(1).default(".data/pglite"),
    NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    NEXTAUTH_URL: z.url().optional(),
    /** Where research export bundles are written and kept (lib/research). */
    EXPORT_DIR: z.string().trim().min(1).default(".data/exports"),
    /** How long a finished export bundle stays downloadable, in hours (default 7 days). */
    EXPORT_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(168),
    /** Outgoing mail server (smtp:// or smtps://, credentials in the URL). Unset: mail is written to MAIL_OUTBOX_DIR. */
    SMTP_URL: z
      .string()
      .trim()
      .refine((v) => /^smtps?:\/\//.test(v), "must be an smtp:// or smtps:// URL")
      .optional(),
    /** The From address of every email. */
    MAIL_FROM: z.string().trim().min(3).default("Marginalia <no-reply@localhost>"),
    /** Without SMTP_URL, each email is written here as an .eml file (lib/mail). */
    MAIL_OUTBOX_DIR: z.string().trim().min(1).default(".data/outbox"),
    /** "true": accounts must confirm their email address before they may post (default: they may post). */
    REQUIRE_VERIFIED_EMAIL_TO_POST: z
      .enum(["true", "false", "1", "0"])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.NEXTAUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message: "is required in production (there is no default secret)",
      });
    }
  });

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const raw = { ...process.env };
  // An empty DATABASE_URL means "not set" (docker-compose and shells often pass "").
  if (raw.DATABASE_URL === "") delete raw.DATABASE_URL;
  if (raw.SMTP_URL === "") delete raw.SMTP_URL;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** The deployment's public address (NEXTAUTH_URL), without a trailing slash: the base of links in exports and emails. */
export function publicBaseUrl(): string {
  return (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/** For tests that change process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}
