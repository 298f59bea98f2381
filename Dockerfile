# syntax=docker/dockerfile:1
#
# The production image: `next build` output served by `next start`, against the PostgreSQL
# given in DATABASE_URL (see docker-compose.yml and docs/operations.md).
#
# Debian (glibc), not Alpine: @node-rs/argon2 ships prebuilt glibc binaries.
# Not Next's `output: "standalone"`: its file tracing would have to keep the native/WASM
# packages in serverExternalPackages, prisma/migrations and content/ (read from
# process.cwd() at run time), and the source + tsx that `npm run db:migrate` runs. Copying
# the built project whole is bigger but cannot miss a file.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---- build -------------------------------------------------------------------------------
FROM base AS build
# What the project's postinstall (`node scripts/prisma-generate.mjs`) needs, before npm ci.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
# --ignore-scripts: no dependency install scripts (nothing in this stack needs them, and
# @prisma/engines' would download native engines the app does not use); then the project's
# own postinstall, which generates the Prisma client into lib/generated/prisma.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts && npm run postinstall
COPY . .
# No secret and no database are needed to build (pages are rendered per request); the
# build cache is dropped from the image.
RUN npm run build \
 && rm -rf .next/cache \
 && mkdir -p public .data

# ---- run ---------------------------------------------------------------------------------
FROM base AS run
ENV NODE_ENV=production \
    PORT=3000
# node_modules keeps its devDependencies: `npm run db:migrate` runs TypeScript through tsx.
# .next/node_modules links to ../../node_modules, so the layout must stay as built.
COPY --from=build /app ./
# The code stays root-owned (read-only for the server); Next's runtime cache and the
# embedded database directory (used only when DATABASE_URL is unset) are the node user's.
RUN mkdir -p .next/cache .data && chown -R node:node .next .data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Migrate (also done by the app on start, see instrumentation.ts; this fails fast and loud),
# then the production server as PID 1's direct child (compose runs it with `init: true`).
CMD ["sh", "-c", "npm run db:migrate && exec node scripts/server.mjs -H 0.0.0.0 -p \"${PORT:-3000}\""]
