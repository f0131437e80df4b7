#!/usr/bin/env bash
# npm test: install what is missing, then type-check, lint, and run every suite:
# unit + integration (real mediasoup worker, PGlite and a real Postgres) and browser end-to-end
# (Debian Chromium, fake cameras). WebRTC suites run in a loopback-only network namespace.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_apt chromium postgresql iproute2 util-linux ffmpeg poppler-utils
# voice access: espeak-ng prompts, the GStreamer gateway, and sipp (sip-tester) as the phone
ensure_apt espeak-ng gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad sip-tester
ensure_node_modules
ensure_worker
ensure_console_built

say "type-check"
npx tsc -p tsconfig.json
npx vue-tsc --noEmit -p console/tsconfig.json
say "lint"
npx eslint . --max-warnings 0
say "import rules (dependency-cruiser: layers, no circles)"
npm run --silent lint:imports

# A throwaway Postgres cluster on a unix socket: reachable from inside the network namespace too.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PGTMP="$(mktemp -d /tmp/threelevel-pg.XXXXXX)"
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$PGTMP"
  run_pg "$PGBIN/initdb" -D "$PGTMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-c listen_addresses='' -k $PGTMP -c fsync=off -c full_page_writes=off" start >/dev/null
  trap 'run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGTMP"' EXIT
  export TEST_DATABASE_URL="postgresql://postgres@localhost/postgres?host=$PGTMP"
  say "Postgres $("$PGBIN/postgres" --version | awk '{print $3}') for tests at $PGTMP"
fi

# Media never leaves the machine: the suites run in a fresh network namespace with only loopback up (in_netns).
say "unit + integration (vitest)"
in_netns npx vitest run
say "end-to-end (playwright, chromium)"
in_netns npx playwright test
