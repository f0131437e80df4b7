#!/usr/bin/env bash
# Print the absolute path of a usable mediasoup-worker binary on the LAST line
# of stdout; everything else goes to stderr.
#
# mediasoup normally downloads a prebuilt worker from GitHub (or builds one
# with pip-installed meson + wrap downloads from GitHub). Neither works on a
# host that only reaches the npm registry and Debian apt, so this script builds
# the worker from the npm package's worker/ sources against Debian's libraries.
# See README.md next to this file.
#
# Env:
#   MEDIASOUP_WORKER_BIN    use this binary as is (if executable)
#   MEDIASOUP_WORKER_CACHE  cache dir (default ~/.cache/threelevel-mediasoup)
#   MEDIASOUP_PKG_DIR       mediasoup npm package (default <repo>/node_modules/mediasoup)
set -euo pipefail

# Bump whenever the recipe (this script, subprojects/, patches) changes, so
# stale cached binaries are not reused.
RECIPE_REV=1
PINNED_VERSION=3.19.3

exec 3>&1 1>&2 # fd 3 = real stdout (only the final path goes there)
log() { echo "[ensure-worker] $*"; }
die() { echo "[ensure-worker] ERROR: $*"; exit 1; }

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

# 1. Explicit override.
if [[ -n "${MEDIASOUP_WORKER_BIN:-}" ]]; then
  if [[ -f "$MEDIASOUP_WORKER_BIN" && -x "$MEDIASOUP_WORKER_BIN" ]]; then
    echo "$(realpath "$MEDIASOUP_WORKER_BIN")" >&3
    exit 0
  fi
  log "MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN is not an executable file; ignoring it"
fi

# 2. Cache lookup, keyed on the installed mediasoup version + recipe revision.
PKG_DIR="${MEDIASOUP_PKG_DIR:-$REPO_ROOT/node_modules/mediasoup}"
VERSION="$PINNED_VERSION"
if [[ -f "$PKG_DIR/package.json" ]]; then
  VERSION="$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$PKG_DIR/package.json" | head -n1)"
  [[ -n "$VERSION" ]] || die "cannot read version from $PKG_DIR/package.json"
fi
[[ "$VERSION" == "$PINNED_VERSION" ]] ||
  log "WARNING: mediasoup $VERSION installed; this recipe was verified for $PINNED_VERSION"

CACHE_DIR="${MEDIASOUP_WORKER_CACHE:-$HOME/.cache/threelevel-mediasoup}"
CACHED_BIN="$CACHE_DIR/mediasoup-worker-$VERSION-r$RECIPE_REV"

# A worker started with an empty env exits with code 41 (missing
# MEDIASOUP_VERSION); any other outcome means it cannot run here (e.g. a
# Debian runtime library was removed).
worker_runs() {
  local rc=0
  env -i "$1" </dev/null >/dev/null 2>&1 || rc=$?
  [[ $rc -eq 41 ]]
}

if [[ -x "$CACHED_BIN" ]]; then
  if worker_runs "$CACHED_BIN"; then
    echo "$CACHED_BIN" >&3
    exit 0
  fi
  log "cached $CACHED_BIN does not run on this host; rebuilding"
fi

mkdir -p "$CACHE_DIR"
# Serialize concurrent builds (e.g. start + test commands launched together);
# whoever waited re-checks the cache first.
exec 9>"$CACHE_DIR/.build.lock"
if ! flock -n 9; then
  log "another build is running; waiting for it"
  flock 9
fi
if [[ -x "$CACHED_BIN" ]] && worker_runs "$CACHED_BIN"; then
  echo "$CACHED_BIN" >&3
  exit 0
fi

# 3. Build dependencies from Debian (only the missing ones).
APT_PKGS=(build-essential pkg-config libssl-dev libuv1-dev libsrtp2-dev libusrsctp-dev
  libabsl-dev libflatbuffers-dev flatbuffers-compiler liburing-dev meson ninja-build python3)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    SUDO=(sudo)
  fi
  APT_OPTS=(-o DPkg::Lock::Timeout=600) # wait for a concurrent apt instead of failing
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${missing[@]}"
fi

# 4. Worker sources: from node_modules, or fetched from the npm registry.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [[ -f "$PKG_DIR/worker/meson.build" ]]; then
  SRC_WORKER="$PKG_DIR/worker"
else
  log "no worker sources in $PKG_DIR; fetching mediasoup@$VERSION with npm pack"
  (cd "$WORK" && npm pack --silent "mediasoup@$VERSION" >/dev/null)
  tar -xzf "$WORK"/mediasoup-*.tgz -C "$WORK"
  SRC_WORKER="$WORK/package/worker"
fi
W="$WORK/worker"
mkdir -p "$W"
# Skip build outputs and downloaded subprojects a previous upstream build may
# have left behind.
for entry in "$SRC_WORKER"/*; do
  case "$(basename "$entry")" in out | subprojects | pip_*) continue ;; esac
  cp -a "$entry" "$W/"
done
log "building mediasoup-worker $VERSION (recipe r$RECIPE_REV) in $W"

# 5. Recipe.
# 5a. Debian bookworm has meson 1.0.1; nothing mediasoup uses needs 1.1.
sed -i "s/meson_version: '>= 1\.[0-9.]*'/meson_version: '>= 1.0.0'/" "$W/meson.build"
grep -q "meson_version: '>= 1.0.0'" "$W/meson.build" || die "meson_version relax did not apply"

# 5b. Replace every wrap (which would download from GitHub) by a local stub
# project wrapping the Debian library (see subprojects/*/meson.build).
mkdir -p "$W/subprojects"
cp -a "$SCRIPT_DIR/subprojects/." "$W/subprojects/"
for name in openssl libuv libsrtp3 usrsctp abseil-cpp flatbuffers catch2 liburing; do
  [[ -f "$W/subprojects/$name/meson.build" ]] || die "missing stub subproject $name"
done

# 5c. Required source fix. The outgoing DTLS BIO callback only forwards the
# real result when operationType == BIO_CB_RETURN, but BIO_ctrl's return phase
# is BIO_CB_CTRL|BIO_CB_RETURN, so every ctrl (e.g. Debian OpenSSL's kernel-TLS
# queries) answers 1 and the worker SIGSEGVs in SSL_read once a peer connects.
# Test the bit instead.
DTLS="$W/src/RTC/DtlsTransport.cpp"
sed -i 's/(operationType == BIO_CB_RETURN)/((operationType \& BIO_CB_RETURN) != 0)/' "$DTLS"
if ! grep -qF '((operationType & BIO_CB_RETURN) != 0)' "$DTLS" ||
  grep -qF 'operationType == BIO_CB_RETURN' "$DTLS"; then
  die "DtlsTransport.cpp BIO callback patch did NOT apply (source changed?). Refusing to build a worker that crashes on DTLS."
fi

# 6. Build (~4-5 min on 2 cores). Only the worker executable: the static
# library, tests and fuzzer targets need things we do not provide.
start=$SECONDS
meson setup "$W/out" "$W" --buildtype=release -Db_ndebug=true --wrap-mode=nodownload
# Nothing orders the flatbuffers header generation before the sources that
# include FBS/*.h, so generate them first.
ninja -C "$W/out" fbs/FBS
ninja -C "$W/out" mediasoup-worker
BUILT="$W/out/mediasoup-worker"
worker_runs "$BUILT" || die "built worker does not run (expected exit code 41 with empty env)"
log "built in $((SECONDS - start))s"

# 7. Atomic install into the cache.
tmp="$CACHED_BIN.tmp.$$"
cp "$BUILT" "$tmp"
chmod 755 "$tmp"
mv -f "$tmp" "$CACHED_BIN"
log "installed $CACHED_BIN"
echo "$CACHED_BIN" >&3
