# syntax=docker/dockerfile:1
# One image, two roles (docs/deploy.md):
#   dashboard + runtime API   the default command, `node dist/server.mjs` (npm start), port PORT (3000)
#   runtime API alone         `node dist/runtime.mjs` (npm run runtime), port RUNTIME_PORT (3001), PostgreSQL only
# CI replays this file without a Docker engine (scripts/check-dockerfile.ts, `npm run check:docker`): it
# refuses any instruction or flag it does not interpret, so keep to the subset used here.

# Dependencies from the lockfile alone, so this layer is reused until package-lock.json changes.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# The production build (widget, Next.js, server bundles), then development dependencies removed.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && rm -rf .next/cache

# What runs: the build output, production dependencies (Next.js, pg, PGlite's WASM files) and the migrations,
# owned by root and read-only to the server's user; /data (PGlite, if used) is the only place it writes.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOSTNAME=0.0.0.0 PORT=3000 RUNTIME_PORT=3001 DATA_DIR=/data
COPY --from=build /app/package.json /app/next.config.mjs ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/public ./public
COPY --from=build /app/dist ./dist
COPY --from=build /app/db/migrations ./db/migrations
COPY --from=build /app/scripts/healthcheck.mjs ./scripts/
RUN mkdir -p /data && chown 1000:1000 /data && chmod 0700 /data
# The base image's unprivileged `node` user, by number so `runAsNonRoot` can verify it.
USER 1000:1000
VOLUME /data
EXPOSE 3000 3001
# Alive, not ready: a container whose database is down should not be restarted for it. The runtime role
# passes its port: `node scripts/healthcheck.mjs 3001` (compose.yaml does).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
CMD ["node", "dist/server.mjs"]
