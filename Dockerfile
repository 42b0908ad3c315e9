# PollyBot server image. How to run several of these behind a load balancer: docs/deploy.md.
#
#   docker build -t pollybot .
#   docker run -p 3000:3000 -v pollybot-data:/app/data pollybot            # embedded SQLite
#   docker compose up --build                                              # PostgreSQL, Redis, 2 instances, nginx

# --- dependencies: the only stage with a compiler --------------------------------------------------
FROM node:20-bookworm-slim AS deps

# better-sqlite3 downloads a prebuilt binary when one matches, and compiles itself otherwise.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

# Compile against the headers that ship with this Node instead of downloading them (works offline).
ENV npm_config_nodedir=/usr/local

WORKDIR /app
# Manifests first, so editing the sources does not reinstall every dependency.
COPY package.json package-lock.json ./
COPY apps/server/package.json apps/server/
COPY packages/contracts/package.json packages/contracts/
# The dashboard and the website widget are built by the root postinstall, so their sources (and the
# contracts they read) come first.
COPY packages/contracts/ packages/contracts/
COPY apps/web/ apps/web/
COPY apps/widget/ apps/widget/
# Exactly the locked versions. Runtime dependencies only: tsx (which runs the TypeScript sources) is one of them.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------------
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000

WORKDIR /app
# Code and dependencies stay owned by root: the server can read them, not change them.
COPY --from=deps /app ./
COPY . .
# The one writable place: the embedded SQLite database when DATABASE_URL is not set (mount a volume).
RUN mkdir -p /app/data && chown node:node /app/data

USER node
EXPOSE 3000

# Ready = the database (and Redis, when configured) answers and the process is not draining.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]

# node itself is PID 1 (no npm, no shell in between), so `docker stop`'s SIGTERM reaches the server,
# which drains for up to SHUTDOWN_GRACE_MS: give the container a longer stop timeout than that.
CMD ["node", "--import", "tsx", "apps/server/src/main.ts"]
