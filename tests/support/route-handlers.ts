import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The route handlers in the code, found from the files: used by the authorization matrix (e2e)
 * and the OpenAPI test (unit), so a new handler cannot slip past either.
 */

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

export function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name.startsWith(".") ? [] : walk(p);
    return [p];
  });
}

/** The HTTP methods a route module exports (`export const GET`, `export function POST`, `export { x as PUT }`). */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  const names = HTTP_METHODS.join("|");
  for (const m of source.matchAll(new RegExp(`export\\s+(?:const|let|var)\\s+(${names})\\b`, "g"))) found.add(m[1]!);
  for (const m of source.matchAll(new RegExp(`export\\s+(?:async\\s+)?function\\s*\\*?\\s*(${names})\\b`, "g"))) found.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name && HTTP_METHODS.includes(name)) found.add(name);
    }
  }
  return [...found];
}

/** Every route.ts under `dir` with the methods it exports. */
export function routeHandlers(dir: string): { file: string; methods: string[] }[] {
  return walk(dir)
    .filter((f) => /^route\.(ts|tsx|js|mjs)$/.test(path.basename(f)))
    .map((file) => ({ file, methods: exportedMethods(readFileSync(file, "utf8")) }));
}

/** A route file's URL segments below `base` (route groups and parallel slots dropped). */
export function routeSegments(base: string, file: string): string[] {
  return path
    .relative(base, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
}
