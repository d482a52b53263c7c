# syntax=docker/dockerfile:1
# Ruche: one image for both roles. RUCHE_ROLE=api (the default here) serves the API, the
# tabs and the bot endpoint; RUCHE_ROLE=worker runs the background jobs. Both answer
# GET /healthz on PORT (the worker through infra/runtime/start.mjs).
#
#   docker build -t ruche .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://... -e ENTRA_CLIENT_ID=... \
#     -e ENTRA_ALLOWED_TENANTS=... -e PUBLIC_URL=https://ruche.contoso.com ruche
#   docker run -e RUCHE_ROLE=worker -e DATABASE_URL=postgres://... ... ruche

ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: every workspace's dependencies, then the compiled server and the tabs ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY server/package.json server/
COPY bot/package.json bot/
COPY ui/package.json ui/
COPY tabs/package.json tabs/
COPY manifest/package.json manifest/
COPY infra/package.json infra/
COPY tests/package.json tests/
RUN npm ci --no-audit --no-fund
COPY . .
# The Teams app package the build also writes is built for local use here; the deployment
# builds its own (m365agents.yml or `npm run build -w manifest` with the tenant's values).
RUN npm run build:app

# ---- the runtime tree: production dependencies of the runtime workspaces, built output ----
FROM ${NODE_IMAGE} AS runtime-files
WORKDIR /app
COPY package.json package-lock.json ./
COPY core/package.json core/
COPY server/package.json server/
COPY bot/package.json bot/
COPY ui/package.json ui/
COPY tabs/package.json tabs/
COPY manifest/package.json manifest/
COPY infra/package.json infra/
COPY tests/package.json tests/
# Only core, server and bot run; their dependencies may sit in workspace folders too
# (core/node_modules), which is why the whole tree is assembled here and copied at once.
RUN npm ci --omit=dev --workspace core --workspace server --workspace bot --no-audit --no-fund
COPY --from=build /app/core/dist core/dist
COPY core/migrations core/migrations
COPY --from=build /app/server/dist server/dist
COPY server/static server/static
COPY --from=build /app/bot/dist bot/dist
COPY --from=build /app/tabs/dist tabs/dist
COPY infra/runtime infra/runtime

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    RUCHE_ROLE=api \
    RUCHE_FILES_DIR=/data/files \
    RUCHE_DATA_DIR=/data/pglite
WORKDIR /app
# Files belong to root and are read-only for the process; only /data is writable.
COPY --from=runtime-files /app /app
RUN mkdir -p /data/files /data/pglite && chown -R node:node /data
# The official Node images ship the unprivileged "node" user (uid 1000).
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "infra/runtime/healthcheck.mjs"]
STOPSIGNAL SIGTERM
CMD ["node", "infra/runtime/start.mjs"]
