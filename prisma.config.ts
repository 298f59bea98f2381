import { defineConfig } from "prisma/config";

// Read DATABASE_URL directly: prisma's env() throws when it is unset, which would
// break `npm ci` (postinstall runs `prisma generate`) on a clean clone.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused",
  },
});
