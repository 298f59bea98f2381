import { z } from "zod";

export const MIN_PASSWORD = 10;

export const emailSchema = z
  .string({ error: "is required" })
  .trim()
  .max(254, "is too long")
  .pipe(z.email("is not a valid email address"))
  .transform((e) => e.toLowerCase());

/** A new password (sign-up and password reset). */
export const passwordSchema = z
  .string({ error: "is required" })
  .min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`)
  .max(200, "must be at most 200 characters");

export const signUpSchema = z.object({
  name: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(80, "must be at most 80 characters"),
  email: emailSchema,
  password: passwordSchema,
});

export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
});

export const passwordResetRequestSchema = z.object({ email: emailSchema });

/** A token from an email link: 32 random bytes in base64url (43 characters). */
export const emailTokenSchema = z
  .string({ error: "is required" })
  .trim()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, "is not a valid link token");

export const passwordResetCompleteSchema = z.object({ token: emailTokenSchema, password: passwordSchema });

export const verifyEmailSchema = z.object({ token: emailTokenSchema });
