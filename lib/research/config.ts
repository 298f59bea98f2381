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

export { publicBaseUrl } from "@/lib/env";

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
