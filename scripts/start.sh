#!/usr/bin/env bash
# npm start: install what is missing, build the console, and run the whole product.
# Embedded PGlite in ./data unless DATABASE_URL is set. See README.md for the environment variables.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_apt ffmpeg # server-side meeting recording
ensure_node_modules
ensure_worker
ensure_console_built
say "starting on http://localhost:${PORT:-3000}"
exec npx tsx server/main.ts
