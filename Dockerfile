# One image for every Liaison service; the compose file picks the entry point per service.
# Build stage: install all dependencies and compile the whole tree once (docs/adr/0002).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci applies the patches to dependencies (patch-package, postinstall): see docs/stack-notes.md.
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
COPY test ./test
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Runtime stage: compiled output and production dependencies only, as an unprivileged user.
FROM node:20-bookworm-slim
# openssl: the kafka-security job of docker-compose.yml makes the cluster's CA and broker certificate with it.
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY docs/examples ./docs/examples
# The gateway and delivery OpenAPI documents embed the contract schemas.
COPY docs/schemas ./docs/schemas
USER node
CMD ["node", "dist/apps/gateway/src/main.js"]
