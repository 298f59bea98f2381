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
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}
