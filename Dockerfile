# storesync server + built dashboard. Node 24 (NestJS 12 is ESM-only; see README).
# Checked without an engine by test/unit/compose.spec.ts and test/unit/node-flags.spec.ts.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/admin/package.json apps/admin/package.json
RUN npm ci --no-audit --no-fund
COPY . .
# The server (swc into dist/) and the dashboard's static export (apps/admin/out), which the server serves at /.
RUN npm run build && npm run build:admin

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/admin/package.json apps/admin/package.json
RUN npm ci --omit=dev --workspaces=false --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/admin/out ./apps/admin/out
# DATA_DIR for the embedded stores when the image runs without store URLs; owned by the unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
EXPOSE 3000
USER node
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap flags of package.json's config.nodeFlags (test/unit/node-flags.spec.ts keeps them equal).
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=20", "dist/apps/server/src/main.js"]
