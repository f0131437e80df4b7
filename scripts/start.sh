#!/usr/bin/env bash
# npm start: install what is missing, build the console, and run the whole product.
# Embedded PGlite in ./data unless DATABASE_URL is set. See README.md for the environment variables.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_apt ffmpeg # server-side meeting recording
# voice access (语音接入): prompts (espeak-ng) and the G.711 ↔ Opus gateway (GStreamer)
ensure_apt espeak-ng gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
ensure_node_modules
ensure_worker
ensure_console_built
# HTTPS with a local demo CA and certificate login by default (README "HTTPS and certificate login");
# TLS=off serves plain HTTP, TLS_CERT/TLS_KEY serve your own certificate.
export TLS="${TLS:-demo}"
SCHEME=http
if [ "$TLS" = demo ] && [ -z "${TLS_CERT:-}" ]; then
  ensure_apt openssl # the .p12 client certificates
  DEMO_CA="$(npx tsx scripts/demo-pki.ts)"
  SCHEME=https
elif [ -n "${TLS_CERT:-}" ]; then
  SCHEME=https
fi
# The emergency platform (应急平台): our simulator runs beside the server unless PLATFORM_URL names a real one.
if [ -z "${PLATFORM_URL:-}" ]; then
  export PLATFORM_SHARED_KEY="${PLATFORM_SHARED_KEY:-demo-platform-key-change-me}"
  SIM_PORT="${PLATFORM_SIM_PORT:-3200}"
  mkdir -p "${DATA_DIR:-data}"
  PLATFORM_SIM_PORT="$SIM_PORT" PLATFORM_SIM_STATE_FILE="${PLATFORM_SIM_STATE_FILE:-${DATA_DIR:-data}/platform-sim.json}" \
    NODE_EXTRA_CA_CERTS="${DEMO_CA:-}" \
    PLATFORM_SIM_INBOUND_URL="$SCHEME://127.0.0.1:${PORT:-3000}/platform/cap" node --import tsx platform-sim/server.ts &
  SIM_PID=$!
  trap 'kill "$SIM_PID" 2>/dev/null || true' EXIT
  export PLATFORM_URL="http://127.0.0.1:$SIM_PORT/cap"
  say "emergency platform simulator on http://127.0.0.1:$SIM_PORT (control: /control/*)"
fi
say "starting on $SCHEME://localhost:${PORT:-3000}"
npx tsx server/main.ts
