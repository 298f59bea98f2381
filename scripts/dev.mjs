// npm run dev — the development server (hot reload) on the same database choice as npm start.
import { bin, demoSecret, run, serve } from "./lib.mjs";

const env = { ...process.env };
if (env.DATABASE_URL === "") delete env.DATABASE_URL;
const port = env.PORT ?? "3000";
if (!env.DATABASE_URL && !env.NEXTAUTH_SECRET) env.NEXTAUTH_SECRET = demoSecret();
env.NEXTAUTH_URL ??= `http://localhost:${port}`;
if (!env.DATABASE_URL) await run(bin("tsx"), ["scripts/db-seed.mts"], { env });
serve(bin("next"), ["dev", "-p", port], { env });
