import { z } from "zod";

/**
 * Environment variables, parsed once with zod. Read lazily (never at import time) so that
 * `next build` can import route modules without a database or a secret.
 */
const fields = z.object({
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
  /** The directory of article files (`<slug>.md`) loaded at start (lib/content); default content/articles. */
  CONTENT_DIR: z.string().trim().min(1).optional(),
  /** Where research export bundles are written and kept (lib/research). */
  EXPORT_DIR: z.string().trim().min(1).default(".data/exports"),
  /** How long a finished export bundle stays downloadable, in hours (default 7 days). */
  EXPORT_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(168),
  /** Open reports from this many distinct readers hide a contribution pending review (lib/moderation). */
  MODERATION_AUTO_HIDE_FLAGS: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .default(3),
  /** Scales every rate limit's `max` (lib/rate-limit/limits.ts): load tests and the e2e server. */
  RATE_LIMIT_MULTIPLIER: z.coerce.number({ error: "must be a number" }).positive("must be greater than 0").default(1),
  /**
   * Reverse proxies in front of the app that append to X-Forwarded-For (lib/http/client-ip.ts).
   * 0: the header is ignored and the socket's address is the client.
   */
  TRUSTED_PROXY_HOPS: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, "must be a whole number of proxies, 0 to 10")
    .transform(Number)
    .refine((n) => n <= 10, "must be a whole number of proxies, 0 to 10")
    .default(0),
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
  /** Minutes between scheduled scoring runs for "Most helpful" (lib/ranking). */
  RANKING_INTERVAL_MINUTES: z.coerce
    .number({ error: "must be a whole number of minutes" })
    .int("must be a whole number of minutes")
    .min(1, "must be at least 1")
    .default(10),
  /** Ratings set or changed since the last scoring run that start one sooner. */
  RANKING_MIN_NEW_RATINGS: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .default(50),
});

const schema = fields.superRefine((env, ctx) => {
  if (env.NODE_ENV === "production" && !env.NEXTAUTH_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["NEXTAUTH_SECRET"],
      message: "is required in production (there is no default secret)",
    });
  }
});

export type Env = z.infer<typeof schema>;

const OPTIONAL = ["DATABASE_URL", "CONTENT_DIR", "MODERATION_AUTO_HIDE_FLAGS", "RATE_LIMIT_MULTIPLIER", "SMTP_URL", "RANKING_INTERVAL_MINUTES", "RANKING_MIN_NEW_RATINGS"] as const;

const NAMES = Object.keys(fields.shape) as (keyof typeof fields.shape)[];

let cached: { key: string; env: Env } | undefined;

/**
 * The parsed environment. Parsed once, and again only if one of its variables changed in
 * process.env (tests set them); a bad value throws a message naming the variable, which
 * lib/startup.ts turns into a refusal to start.
 */
export function env(): Env {
  const key = JSON.stringify(NAMES.map((n) => process.env[n] ?? null));
  if (cached?.key === key) return cached.env;
  const raw: Record<string, string | undefined> = {};
  for (const n of NAMES) raw[n] = process.env[n];
  // An empty value means "not set" (docker-compose and shells often pass "").
  for (const name of OPTIONAL) if (raw[name] === "") delete raw[name];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = { key, env: parsed.data };
  return parsed.data;
}

/** The deployment's public address (NEXTAUTH_URL), without a trailing slash: the base of links in exports and emails. */
export function publicBaseUrl(): string {
  return (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/** For tests that change process.env (env() also notices a change by itself). */
export function resetEnvCache(): void {
  cached = undefined;
}
