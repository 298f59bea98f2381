import { z } from "zod";

export const MIN_PASSWORD = 10;

export const emailSchema = z
  .string({ error: "is required" })
  .trim()
  .max(254, "is too long")
  .pipe(z.email("is not a valid email address"))
  .transform((e) => e.toLowerCase());

export const signUpSchema = z.object({
  name: z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(80, "must be at most 80 characters"),
  email: emailSchema,
  password: z
    .string({ error: "is required" })
    .min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`)
    .max(200, "must be at most 200 characters"),
});

export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
});
