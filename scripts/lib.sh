# Shared by start.sh and test.sh: install whatever is missing, idempotently and quickly when nothing is.
# shellcheck shell=bash
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
# ensure_apt PKG... : install the Debian packages that are not installed yet.
ensure_apt() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { say "please install: ${missing[*]}"; return 1; }
  say "installing Debian packages: ${missing[*]}"
  if [ $APT_UPDATED = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Runtime libraries the offline-built mediasoup worker links against (see sfu/worker-build/README.md).
WORKER_RUNTIME_DEBS=(libssl3 libuv1 libsrtp2-1 libusrsctp2 liburing2 libabsl20220623 libnss3 libnspr4 libmimalloc2.0)

ensure_node_modules() {
  local stamp=node_modules/.threelevel-lock
  if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then return 0; fi
  say "installing npm packages (npm ci)"
  # MEDIASOUP_WORKER_BIN makes mediasoup's postinstall skip; ensure_worker settles the binary afterwards.
  MEDIASOUP_WORKER_BIN="${MEDIASOUP_WORKER_BIN:-/nonexistent}" npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
}

# Exports MEDIASOUP_WORKER_BIN: mediasoup's own prebuilt if present, else our offline build (cached).
ensure_worker() {
  local prebuilt=node_modules/mediasoup/worker/out/Release/mediasoup-worker
  if [ -z "${MEDIASOUP_WORKER_BIN:-}" ] && [ ! -x "$prebuilt" ] && [ "${MEDIASOUP_OFFLINE:-0}" != 1 ] \
    && ! ls "${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/threelevel-mediasoup}"/mediasoup-worker-* >/dev/null 2>&1; then
    say "trying mediasoup's prebuilt worker download (needs internet; set MEDIASOUP_OFFLINE=1 to skip)"
    (cd node_modules/mediasoup && env -u MEDIASOUP_WORKER_BIN timeout 120 node npm-scripts.mjs postinstall >/dev/null 2>&1) || true
  fi
  if [ -z "${MEDIASOUP_WORKER_BIN:-}" ] && [ -x "$prebuilt" ]; then
    MEDIASOUP_WORKER_BIN="$REPO_ROOT/$prebuilt"
  else
    ensure_apt "${WORKER_RUNTIME_DEBS[@]}"
    MEDIASOUP_WORKER_BIN="$(bash sfu/worker-build/ensure-worker.sh | tail -n 1)"
  fi
  export MEDIASOUP_WORKER_BIN
  say "mediasoup worker: $MEDIASOUP_WORKER_BIN"
}

ensure_node() {
  command -v node >/dev/null || { say "Node.js 20.19+ is required"; exit 1; }
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || { say "Node.js 20.19+ is required (found $(node -v))"; exit 1; }
}

ensure_console_built() {
  local out=dist/console/index.html
  if [ -f "$out" ] && [ -z "$(find console package-lock.json -newer "$out" -type f -print -quit)" ]; then return 0; fi
  say "building the console (vite)"
  npx vite build --config console/vite.config.ts --logLevel warn
}

# Runs a command in a fresh network namespace with only loopback up (root, or an unprivileged user namespace).
in_netns() {
  if [ "$(id -u)" = 0 ]; then unshare -n bash -c 'ip link set lo up && exec "$@"' _ "$@";
  elif unshare -rn true 2>/dev/null; then unshare -rn bash -c 'ip link set lo up && exec "$@"' _ "$@";
  else say "no network namespace available: running on the host's loopback"; "$@"; fi
}
