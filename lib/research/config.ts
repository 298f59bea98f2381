import { readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/** Where bundles live, how long they are kept, and the base of every IRI an export writes. */

export function exportDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), env().EXPORT_DIR);
}

export function retentionMs(): number {
  return env().EXPORT_RETENTION_HOURS * 3600_000;
}

/** The deployment's public address (NEXTAUTH_URL), without a trailing slash. */
export function publicBaseUrl(): string {
  return (env().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

let software: { name: string; version: string } | undefined;

export function softwareInfo(): { name: string; version: string } {
  if (!software) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), "package.json"), "utf8")) as {
        name: string;
        version: string;
      };
      software = { name: pkg.name, version: pkg.version };
    } catch {
      software = { name: "annotated-discussion", version: "unknown" };
    }
  }
  return software;
}
