# Production image: the app with Node 20 on Debian bookworm. The mediasoup worker is mediasoup's prebuilt
# when the build host has internet, otherwise our offline build against Debian's libraries.
FROM node:20-bookworm AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential pkg-config libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev libabsl-dev \
      libflatbuffers-dev flatbuffers-compiler liburing-dev meson ninja-build python3 \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN if [ ! -x node_modules/mediasoup/worker/out/Release/mediasoup-worker ]; then \
      MEDIASOUP_WORKER_CACHE=/app/.worker bash sfu/worker-build/ensure-worker.sh; fi \
    && npx vite build --config console/vite.config.ts \
    && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# Shared libraries the offline-built worker links against (harmless with the prebuilt one).
RUN apt-get update && apt-get install -y --no-install-recommends \
      libssl3 libuv1 libsrtp2-1 libusrsctp2 liburing2 libabsl20220623 libnss3 libnspr4 ca-certificates ffmpeg \
      espeak-ng gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
ENV NODE_ENV=production MEDIASOUP_WORKER_CACHE=/app/.worker PORT=3000
EXPOSE 3000 40000-40015/udp 40000-40015/tcp 5060/udp 5060/tcp
CMD ["npx", "tsx", "server/main.ts"]
