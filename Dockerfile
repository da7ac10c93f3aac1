# Dossier server image: the API, the share page and the widget bundle (dist/) in one process.
#   docker build -t dossier .
#   docker run -p 3000:3000 -v dossier-data:/data -e DOSSIER_TOKEN_SECRET=… dossier
# Uses PostgreSQL when DATABASE_URL is set and an S3-compatible bucket when S3_BUCKET is set (see the README).

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 DOSSIER_DATA_DIR=/data DOSSIER_LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY bin ./bin
COPY server ./server
COPY packages ./packages
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Readiness: database and document storage answer and the process is not draining.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) finishes requests in flight, ends live streams with a reconnect hint, then exits.
STOPSIGNAL SIGTERM
CMD ["node", "bin/dossier.mjs", "serve"]
