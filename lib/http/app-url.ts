import { env } from "@/lib/env";

/** The app's public origin (NEXTAUTH_URL), or null when it is not configured. */
export function appOrigin(): string | null {
  const url = env().NEXTAUTH_URL;
  return url ? new URL(url).origin : null;
}

/** Whether the app is served over https, so cookies must be Secure and subresources upgraded. */
export function usesHttps(): boolean {
  return appOrigin()?.startsWith("https://") ?? false;
}
