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
#   MEDIASOUP_WORKER_JOBS   parallel compile jobs (default: ninja's own choice)
#   MEDIASOUP_SRTP          "openssl" (default) builds libsrtp 2.5 from Debian's source package on OpenSSL,
#                           falling back to Debian's libsrtp2 with a warning; "nss": Debian's libsrtp2 (recipe r5-nss)
#   MEDIASOUP_WORKER_REV    9 (default): r8 plus transport-cc's send history in a ring (5c6); 8: r6 plus io_uring
#                           completions reaped at each submit (5c5); 6: r5 plus the idle pacer (5c''') and mimalloc;
#                           5: one shared transport-cc timer per worker thread, GoogCC at 25 ms (5c''); 4: each
#                           transport its own timer; 7 (experiment): r6 plus the estimator on the packet path
#                           (5c4); each cached under its own name
#   MEDIASOUP_WORKER_OPT    "lto" (recipe r5-lto-<level>): the OpenSSL recipe built -O3 with link-time
#                           optimisation and -march=<the x86-64 level this CPU supports> (v3/v2, from ld.so;
#                           the level is in the cached name, so a cache never hands a v3 binary to a v2 CPU)
set -euo pipefail

# Bump whenever the recipe (this script, subprojects/, patches) changes, so
# stale cached binaries are not reused.
# r10 (opt-in experiment): r9 with the rate counters' hot state kept together (5c7 below); 1.03 x r9, not kept.
# r9: r8 with transport-cc's send history in a ring instead of a std::map (5c6 below); 0.94-0.96 x r8 per packet.
# r8: io_uring's completions are reaped right after each submit, not at the eventfd's next poll (5c5 below).
# r7 (opt-in experiment): r6 with GoogCC's process interval run on the packet path (5c4 below).
# r6: the pacer ticks at 25 ms instead of 5 ms while it is not probing (5c''' below), and the worker links
#     mimalloc (6' below; MEDIASOUP_WORKER_MALLOC=glibc builds r6 without it, cached as r6-openssl-glibc).
# r5: one shared uv timer per worker thread for the transport-cc process timers (5c'' below).
# r4: io_uring sends copy instead of zero copy (5c' below); r1/r2-openssl/r3-lto were the same recipes before it.
# MEDIASOUP_WORKER_REV=5 or 4 still builds r5 or r4 (each transport with its own timer), e.g. to compare them.
REV="${MEDIASOUP_WORKER_REV:-9}"
case "$REV" in
  4) SHARED_TIMER=0 PACER_IDLE=0 PACKET_PATH=0 URING_REAP=0 SEND_HISTORY=0 RATE_COUNTER=0 ;;
  5) SHARED_TIMER=1 PACER_IDLE=0 PACKET_PATH=0 URING_REAP=0 SEND_HISTORY=0 RATE_COUNTER=0 ;;
  6) SHARED_TIMER=1 PACER_IDLE=1 PACKET_PATH=0 URING_REAP=0 SEND_HISTORY=0 RATE_COUNTER=0 ;;
  7) SHARED_TIMER=1 PACER_IDLE=1 PACKET_PATH=1 URING_REAP=0 SEND_HISTORY=0 RATE_COUNTER=0 ;;
  8) SHARED_TIMER=1 PACER_IDLE=1 PACKET_PATH=0 URING_REAP=1 SEND_HISTORY=0 RATE_COUNTER=0 ;;
  9) SHARED_TIMER=1 PACER_IDLE=1 PACKET_PATH=0 URING_REAP=1 SEND_HISTORY=1 RATE_COUNTER=0 ;;
  10) SHARED_TIMER=1 PACER_IDLE=1 PACKET_PATH=0 URING_REAP=1 SEND_HISTORY=1 RATE_COUNTER=1 ;;
  *) echo "[ensure-worker] ERROR: MEDIASOUP_WORKER_REV=$REV (only 10, 9, the default, 8, 7, 6, 5 or 4)" >&2; exit 1 ;;
esac
RECIPE_REV=$REV-nss
# The OpenSSL libsrtp recipe is the default, cached under its own name; MEDIASOUP_SRTP=nss builds r5-nss.
SRTP_WANTED="${MEDIASOUP_SRTP:-openssl}"
[[ "$SRTP_WANTED" == openssl ]] && RECIPE_REV=$REV-openssl
# The allocator (r6 on): mimalloc (the default) or glibc's malloc.
MALLOC_WANTED="${MEDIASOUP_WORKER_MALLOC:-mimalloc}"
[[ "$MALLOC_WANTED" == mimalloc || "$MALLOC_WANTED" == glibc ]] ||
  { echo "[ensure-worker] ERROR: MEDIASOUP_WORKER_MALLOC=$MALLOC_WANTED (only mimalloc or glibc)" >&2; exit 1; }
((REV >= 6)) || MALLOC_WANTED=glibc
OPT_WANTED="${MEDIASOUP_WORKER_OPT:-}"
MARCH_LEVEL=""
if [[ "$OPT_WANTED" == lto ]]; then
  [[ "$SRTP_WANTED" == openssl ]] || { echo "[ensure-worker] ERROR: MEDIASOUP_WORKER_OPT=lto needs MEDIASOUP_SRTP=openssl" >&2; exit 1; }
  # The highest x86-64 micro-architecture level glibc's loader says this CPU supports.
  if [[ "$(uname -m)" == x86_64 ]]; then
    for lvl in v3 v2; do
      if /lib64/ld-linux-x86-64.so.2 --help 2>/dev/null | grep -c "x86-64-$lvl (supported" >/dev/null; then MARCH_LEVEL="$lvl"; break; fi
    done
  fi
  RECIPE_REV="$REV-lto${MARCH_LEVEL:+-$MARCH_LEVEL}"
elif [[ -n "$OPT_WANTED" ]]; then
  echo "[ensure-worker] ERROR: MEDIASOUP_WORKER_OPT=$OPT_WANTED (only \"lto\" or empty)" >&2; exit 1
fi
((REV >= 6)) && [[ "$MALLOC_WANTED" == glibc ]] && RECIPE_REV="$RECIPE_REV-glibc"
PINNED_VERSION=3.19.3
# libsrtp 2.5 built from Debian's source package against OpenSSL (Debian's
# binary libsrtp2 uses NSS, 2.7-5.5x slower per packet). Pinned and checksummed.
LIBSRTP_DEB_VERSION=2.5.0-3
LIBSRTP_SHA256S="8a43ef8e9ae2b665292591af62aa1a4ae41e468b6d98d8258f91478735da4e09  libsrtp2_2.5.0.orig.tar.gz
3a3cafa12033d32cd0d5ad4d78f102bc6d998f7d67a17f262c436d0734865af4  libsrtp2_2.5.0-3.debian.tar.xz"

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

# Which libsrtp the cached binary has ("openssl", or "nss" after a fallback).
SRTP_NOTE="$CACHED_BIN.srtp"
note_fallback() {
  if [[ -f "$SRTP_NOTE" ]] && ! grep -q '^openssl' "$SRTP_NOTE"; then
    log "NOTE: $CACHED_BIN uses Debian's NSS libsrtp2 ($(head -c 200 "$SRTP_NOTE")); delete it to retry the OpenSSL build"
  fi
}

if [[ -x "$CACHED_BIN" ]]; then
  if worker_runs "$CACHED_BIN"; then
    note_fallback
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
[[ "$MALLOC_WANTED" == mimalloc ]] && APT_PKGS+=(libmimalloc-dev)
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

# 3b. libsrtp sources: Debian's source package, cached in $CACHE_DIR/src.
# apt-get runs with a private source list (the host's Debian mirrors as
# deb-src) and private state, so the host's apt configuration is untouched.
# Any failure here falls back to Debian's binary libsrtp2 (NSS).
SRTP_SRC_DIR="$CACHE_DIR/src/libsrtp2_$LIBSRTP_DEB_VERSION"
srtp_sources_ok() { (cd "$1" 2>/dev/null && sha256sum --quiet -c - <<<"$LIBSRTP_SHA256S" >/dev/null 2>&1); }
fetch_libsrtp_source() {
  srtp_sources_ok "$SRTP_SRC_DIR" && return 0
  local apt="$1/apt" list
  mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial" "$1/dl"
  # deb822 *.sources: "Types: deb" -> "deb-src"; one-line lists: "deb " -> "deb-src ".
  for list in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$list" ]] || continue
    sed -E 's/^Types:.*/Types: deb-src/' "$list" >"$apt/parts/$(basename "$list")"
  done
  for list in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$list" ]] || continue
    sed -nE 's/^deb[[:space:]]+/deb-src /p' "$list" >"$apt/parts/$(basename "$list")"
  done
  # Only the Debian archive's entries matter (others may need credentials).
  grep -lq 'debian' "$apt/parts"/* 2>/dev/null || { log "no Debian apt source to derive deb-src from"; return 1; }
  for list in "$apt/parts"/*; do grep -q debian "$list" || rm -f "$list"; done
  local o=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/parts"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Acquire::Retries=1
    -o Acquire::http::Timeout=20 -o APT::Sandbox::User=root)
  timeout 180 apt-get "${o[@]}" -qq update >&2 || { log "apt-get update (deb-src) failed"; return 1; }
  (cd "$1/dl" && timeout 180 apt-get "${o[@]}" -qq source --download-only "libsrtp2=$LIBSRTP_DEB_VERSION" >&2) ||
    { log "apt-get source libsrtp2=$LIBSRTP_DEB_VERSION failed"; return 1; }
  srtp_sources_ok "$1/dl" || { log "libsrtp2 $LIBSRTP_DEB_VERSION sources do not match the pinned SHA-256 sums"; return 1; }
  mkdir -p "$SRTP_SRC_DIR.tmp.$$"
  cp "$1/dl"/libsrtp2_* "$SRTP_SRC_DIR.tmp.$$/"
  rm -rf "$SRTP_SRC_DIR" && mv "$SRTP_SRC_DIR.tmp.$$" "$SRTP_SRC_DIR"
}
# Builds a static libsrtp2 (OpenSSL crypto) into $1/srtp-prefix and runs
# libsrtp's own test suite against it.
build_libsrtp() {
  local b="$1" s="$1/libsrtp2-src"
  dpkg-source --no-check -x "$SRTP_SRC_DIR/libsrtp2_$LIBSRTP_DEB_VERSION.dsc" "$s" >/dev/null || return 1
  meson setup "$b/srtp-out" "$s" --buildtype=release -Db_ndebug=true -Ddefault_library=static \
    -Db_staticpic=true -Dcrypto-library=openssl -Dcrypto-library-kdf=disabled -Dtests=enabled \
    -Dpcap-tests=disabled -Ddoc=disabled --prefix="$b/srtp-prefix" --libdir=lib >/dev/null || return 1
  ninja -C "$b/srtp-out" "${NINJA_JOBS[@]}" >/dev/null || return 1
  # The rtpw shell tests need UDP sockets on loopback; the driver tests are what matter.
  meson test -C "$b/srtp-out" --no-rebuild --print-errorlogs \
    srtp_driver test_srtp replay_driver roc_driver rdbx_driver cipher_driver kernel_driver datatypes_driver env >/dev/null ||
    { log "libsrtp's own tests failed (see $b/srtp-out/meson-logs/testlog.txt)"; cp "$b/srtp-out/meson-logs/testlog.txt" "$CACHE_DIR/libsrtp-testlog.txt" 2>/dev/null; return 1; }
  meson install -C "$b/srtp-out" --no-rebuild >/dev/null || return 1
  [[ -f "$b/srtp-prefix/lib/libsrtp2.a" ]] || return 1
}

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

# 5c'. (r4) io_uring sends copy (IORING_OP_SENDTO) instead of zero copy (IORING_OP_SEND_ZC). Zero copy pins the
# pages and costs a second completion per datagram; for RTP-sized datagrams (<= 1,500 bytes) that is more than
# the copy it saves (liburing's maintainers: it pays from several KiB), and on loopback the kernel copies anyway.
# Measured in bench:sfu (2026-12-02): zero copy off cost 11-13 against 14-15 us per forwarded packet.
URING_H="$W/include/DepLibUring.hpp"
sed -i 's/bool zeroCopyEnabled{ true };/bool zeroCopyEnabled{ false };/' "$URING_H"
grep -qF 'bool zeroCopyEnabled{ false };' "$URING_H" || die "DepLibUring.hpp zero-copy patch did NOT apply (source changed?)"

# 5c''. (r5) The transport-cc process timers. Each transport's TransportCongestionControlClient restarts its own
# TimerHandle after every pacer tick (5 ms; 150 receivers: 30,000 uv_timer_stop + uv_timer_start per second on
# libuv's timer heap) and runs GoogCC's estimator (RtpTransportControllerSend::Process) on every tick.
#  - SharedTimer (shared-timer/SharedTimer.{hpp,cpp}, added to the worker's sources): all of a worker thread's
#    clients on ONE uv timer, a per-thread timer wheel keyed by uv_now() ms deadlines, re-armed only when the
#    earliest deadline changes; same millisecond timing as libuv's own timers. Its unit test
#    (shared-timer/test, ASan + UBSan, against the worker's TimerHandle and Debian's libuv) runs first.
#  - tcc-controller-interval.patch: the estimator at the controller factory's 25 ms process interval, as
#    libwebrtc runs it, while PacedSender::Process keeps its own 5 ms cadence.
# Measured side by side with tests/bench/sfu-side.ts (2026-12-02): per forwarded packet 0.92 x r4 at N = 100,
# 0.96 x at N = 150; idle receivers 0.75 x (the shared timer alone: 0.96 x and 0.89 x). The build fails if any
# part does not apply.
if [[ "$SHARED_TIMER" == 1 ]]; then
  ST="$SCRIPT_DIR/shared-timer"
  mkdir -p "$WORK/shared-timer-test/handles"
  cp "$ST/SharedTimer.hpp" "$WORK/shared-timer-test/handles/"
  g++ -std=c++17 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -I"$ST/test/stub" \
    -I"$WORK/shared-timer-test" -I"$W/include" "$ST/test/shared-timer-test.cpp" "$ST/SharedTimer.cpp" \
    "$W/src/handles/TimerHandle.cpp" $(pkg-config --cflags --libs libuv) -lpthread -o "$WORK/shared-timer-test/test" ||
    die "SharedTimer unit test did not compile"
  timeout 120 "$WORK/shared-timer-test/test" >&2 || die "SharedTimer unit test FAILED"
  cp "$SCRIPT_DIR/shared-timer/SharedTimer.hpp" "$W/include/handles/SharedTimer.hpp"
  cp "$SCRIPT_DIR/shared-timer/SharedTimer.cpp" "$W/src/handles/SharedTimer.cpp"
  sed -i "s|^\(  *\)'src/handles/TimerHandle.cpp',\$|&\n\1'src/handles/SharedTimer.cpp',|" "$W/meson.build"
  [[ "$(grep -c "'src/handles/SharedTimer.cpp'," "$W/meson.build")" == 1 ]] ||
    die "meson.build: adding src/handles/SharedTimer.cpp did NOT apply (source changed?)"
  patch -d "$W" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch <"$SCRIPT_DIR/shared-timer/tcc-shared-timer.patch" >&2 ||
    die "shared-timer/tcc-shared-timer.patch did NOT apply to TransportCongestionControlClient (source changed?)"
  grep -qF 'new SharedTimer(this)' "$W/src/RTC/TransportCongestionControlClient.cpp" ||
    die "TransportCongestionControlClient.cpp does not use SharedTimer after the patch"
  patch -d "$W" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch <"$SCRIPT_DIR/shared-timer/tcc-controller-interval.patch" >&2 ||
    die "shared-timer/tcc-controller-interval.patch did NOT apply to TransportCongestionControlClient (source changed?)"
  grep -qF 'nowMs >= this->nextControllerProcessAtMs' "$W/src/RTC/TransportCongestionControlClient.cpp" ||
    die "TransportCongestionControlClient.cpp does not pace the estimator after the patch"
fi

# 5c'''. (r6) The pacer's idle tick. mediasoup sends media itself and padding only while probing, so
# PacedSender::Process() every 5 ms (min_packet_limit_ms_) does nothing but advance budgets whose sums do not
# depend on the tick, for every transport, media or not. pacer/pacer-idle.patch: while not probing, the pacer
# asks for its next tick at GoogCC's 25 ms process interval (with the estimator, so one timer fire per transport
# per 25 ms); while probing it keeps the prober's own times and the 5 ms limit; a probe cluster starting with a
# sent packet re-arms the client's timer at once (InsertPacket). The build fails if it does not apply.
if [[ "$PACER_IDLE" == 1 ]]; then
  patch -d "$W" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch <"$SCRIPT_DIR/pacer/pacer-idle.patch" >&2 ||
    die "pacer/pacer-idle.patch did NOT apply to PacedSender / TransportCongestionControlClient (source changed?)"
  grep -qF 'return std::max<int64_t>(kIdleProcessIntervalMs - elapsed_time_ms, 0);' \
    "$W/deps/libwebrtc/libwebrtc/modules/pacing/paced_sender.cc" || die "paced_sender.cc has no idle interval after the patch"
fi

# 5c4. (r7) The estimator on the packet path. With media flowing, the transport-cc client runs GoogCC's process
# interval when a packet is inserted and it is due (up to 5 ms early), while the transport's state is in the
# caches; the timer stays as the fallback, one interval late at most when media stops (idle transports keep r6's
# 25 ms). A bitrates event raised there is delivered by the timer at the next loop turn, outside the consumer's
# send. The build fails if it does not apply.
if [[ "$PACKET_PATH" == 1 ]]; then
  patch -d "$W" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch <"$SCRIPT_DIR/packet-path/tcc-packet-path.patch" >&2 ||
    die "packet-path/tcc-packet-path.patch did NOT apply to TransportCongestionControlClient (source changed?)"
  grep -qF 'nowMs + PacketPathEarlyMs >= this->nextControllerProcessAtMs' "$W/src/RTC/TransportCongestionControlClient.cpp" ||
    die "TransportCongestionControlClient.cpp has no packet-path estimator after the patch"
fi

# 5c5. (r8) io_uring's completions reaped at each submit. mediasoup freed a send's entry only when the eventfd's
# poll callback ran, at the next loop turn; a burst (several packets in one turn, each fanned out to hundreds of
# consumers) used up the 4,096 entries and every further send fell back to a sendmsg() syscall of its own (at
# 300 consumers 14 % of the sends: 39,342 sendmsg() calls in 5 s, 17.9 % of the worker's CPU). UDP sends
# complete inside io_uring_enter(), so the entries are reaped right after it. The build fails if it does not apply.
if [[ "$URING_REAP" == 1 ]]; then
  patch -d "$W" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch <"$SCRIPT_DIR/uring/uring-reap.patch" >&2 ||
    die "uring/uring-reap.patch did NOT apply to DepLibUring.cpp (source changed?)"
  grep -qF 'reapCompletions(this);' "$W/src/DepLibUring.cpp" ||
    die "DepLibUring.cpp reaps no completions at submit after the patch"
fi

# 5c6. (r9) transport-cc's send history in a ring. libwebrtc's SendTimeHistory keeps every sent packet in a
# std::map until its feedback arrives: per forwarded packet a node allocated, found twice and erased, cold on
# each visit with hundreds of transports per worker (OnSentPacket + AddNewPacket 8.5 % of r8's CPU at 300
# receivers). send-history/send_time_history.{h,cc} keep the same class and API over a ring indexed by sequence
# number (64 slots, growing to 512, older entries in a map as before). First a differential test: one driver
# (send-history/test) built with the original and with the ring (ASan + UBSan) must print the same digest of
# every value returned over seeded runs of adds, sends, lossy and late feedback, wraps, gaps and age-outs.
if [[ "$SEND_HISTORY" == 1 ]]; then
  SH="$SCRIPT_DIR/send-history"
  LWI="$W/deps/libwebrtc/libwebrtc"
  STH="$LWI/modules/congestion_controller/rtp/send_time_history"
  mkdir -p "$WORK/send-history-test/new/modules/congestion_controller/rtp"
  cp "$SH/send_time_history.h" "$WORK/send-history-test/new/modules/congestion_controller/rtp/"
  g++ -std=c++17 -O1 -I"$SH/test/stub" -I"$LWI" "$SH/test/send-history-test.cpp" "$STH.cc" \
    -o "$WORK/send-history-test/original" || die "send-history test did not compile against the original"
  g++ -std=c++17 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -I"$WORK/send-history-test/new" \
    -I"$SH/test/stub" -I"$LWI" "$SH/test/send-history-test.cpp" "$SH/send_time_history.cc" \
    -o "$WORK/send-history-test/ring" || die "send-history test did not compile against the ring"
  ORIGINAL_DIGEST="$(timeout 300 "$WORK/send-history-test/original")" || die "send-history test FAILED (original)"
  RING_DIGEST="$(timeout 300 "$WORK/send-history-test/ring")" || die "send-history test FAILED (ring)"
  log "send history: original $ORIGINAL_DIGEST; ring $RING_DIGEST"
  [[ "$ORIGINAL_DIGEST" == "$RING_DIGEST" ]] || die "send-history ring returns other values than the original"
  cp "$SH/send_time_history.h" "$STH.h"
  cp "$SH/send_time_history.cc" "$STH.cc"
  grep -qF 'kMaxSlots' "$STH.h" || die "send_time_history.h was not replaced"
fi

# 5c7. (r10, opt-in experiment) The rate counters. A forwarded packet updates three RateCalculators (its stream's,
# its transport's RTP and total counters), each a ring of 100 items on the heap plus some 130 bytes of fields.
# rate-counter/RateCalculator.{hpp,cpp}: the same class and results, the newest item kept in the object until it
# closes and the fields an update touches together. A differential test (rate-counter/test: mediasoup's own table
# cases plus seeded sequences, original vs new with ASan + UBSan) must print the same digest. Measured side by side
# (sfu-side.ts, N = 150, 2026-12-03): r9 at 0.97 x r10 per forwarded packet, so r9 stays the default.
if [[ "$RATE_COUNTER" == 1 ]]; then
  RC="$SCRIPT_DIR/rate-counter"
  mkdir -p "$WORK/rate-counter-test/new/RTC"
  cp "$RC/RateCalculator.hpp" "$WORK/rate-counter-test/new/RTC/"
  g++ -std=c++17 -O1 -I"$RC/test/stub" -I"$W/include" "$RC/test/rate-counter-test.cpp" "$W/src/RTC/RateCalculator.cpp" \
    $(pkg-config --cflags --libs libuv) -o "$WORK/rate-counter-test/original" || die "rate-counter test did not compile against the original"
  g++ -std=c++17 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -I"$WORK/rate-counter-test/new" \
    -I"$RC/test/stub" -I"$W/include" "$RC/test/rate-counter-test.cpp" "$RC/RateCalculator.cpp" \
    $(pkg-config --cflags --libs libuv) -o "$WORK/rate-counter-test/new/test" || die "rate-counter test did not compile against the new files"
  ORIGINAL_DIGEST="$(timeout 300 "$WORK/rate-counter-test/original")" || die "rate-counter test FAILED (original)"
  NEW_DIGEST="$(timeout 300 "$WORK/rate-counter-test/new/test")" || die "rate-counter test FAILED (new)"
  log "rate counters: original $ORIGINAL_DIGEST; new $NEW_DIGEST"
  [[ "$ORIGINAL_DIGEST" == "$NEW_DIGEST" ]] || die "the new RateCalculator returns other values than the original"
  cp "$RC/RateCalculator.hpp" "$W/include/RTC/RateCalculator.hpp"
  cp "$RC/RateCalculator.cpp" "$W/src/RTC/RateCalculator.cpp"
  grep -qF 'newestItemCount' "$W/src/RTC/RateCalculator.cpp" || die "RateCalculator.cpp was not replaced"
fi

# 5d. libsrtp on OpenSSL (static), else Debian's shared NSS build.
NINJA_JOBS=()
[[ -n "${MEDIASOUP_WORKER_JOBS:-}" ]] && NINJA_JOBS=(-j "$MEDIASOUP_WORKER_JOBS")
SRTP_FLAVOUR=nss
if [[ "$SRTP_WANTED" != openssl ]]; then
  SRTP_WHY="MEDIASOUP_SRTP=nss"
elif ! fetch_libsrtp_source "$WORK"; then
  SRTP_WHY="libsrtp2 $LIBSRTP_DEB_VERSION source package not reachable (no deb-src access?)"
elif ! build_libsrtp "$WORK"; then
  SRTP_WHY="libsrtp2 $LIBSRTP_DEB_VERSION OpenSSL build or its tests failed"
else
  SRTP_FLAVOUR=openssl
  export PKG_CONFIG_PATH="$WORK/srtp-prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  log "libsrtp $LIBSRTP_DEB_VERSION built on OpenSSL (static), its tests passed"
fi
if [[ $SRTP_FLAVOUR == nss && "$SRTP_WANTED" != openssl ]]; then
  log "libsrtp: Debian's libsrtp2 (NSS crypto), as MEDIASOUP_SRTP=nss asks; the default builds libsrtp on OpenSSL"
elif [[ $SRTP_FLAVOUR == nss ]]; then
  log "WARNING: $SRTP_WHY."
  log "WARNING: falling back to Debian's libsrtp2 (NSS crypto): works, but SRTP costs several times more CPU per packet."
fi

# 6. Build (~5-6 min on 2 cores). Only the worker executable: the static
# library, tests and fuzzer targets need things we do not provide.
# (Called from `if`: errexit is off inside, hence the explicit returns.)
BUILT="$W/out/mediasoup-worker"
build_worker() {
  rm -rf "$W/out"
  local opt=()
  if [[ "$OPT_WANTED" == lto ]]; then
    opt=(-Doptimization=3 -Db_lto=true)
    [[ -n "$MARCH_LEVEL" ]] && opt+=("-Dc_args=-march=x86-64-$MARCH_LEVEL" "-Dcpp_args=-march=x86-64-$MARCH_LEVEL")
  fi
  # 6'. (r6) mimalloc as the worker's malloc: linked (NEEDED, before libc) so its malloc/free interpose glibc's.
  # Per forwarded packet the worker allocates and frees std::map nodes (transport-cc's send history), the
  # retransmission buffer's items and more; glibc's fastbins then make every larger allocation consolidate
  # them (malloc_consolidate + _int_malloc: 6.5 % of r6's CPU at N = 150). Measured side by side
  # (tests/bench/sfu-side.ts, N = 120, the same r6 binary with each allocator preloaded, six windows,
  # 2026-12-02): mimalloc 0.83 x glibc per forwarded packet (0.81-0.89), tcmalloc 0.82 x, jemalloc 0.84 x.
  [[ "$MALLOC_WANTED" == mimalloc ]] && opt+=("-Dcpp_link_args=-Wl,--no-as-needed,-lmimalloc")
  meson setup "$W/out" "$W" --buildtype=release -Db_ndebug=true --wrap-mode=nodownload "${opt[@]}" || return 1
  # Nothing orders the flatbuffers header generation before the sources that
  # include FBS/*.h, so generate them first.
  ninja -C "$W/out" "${NINJA_JOBS[@]}" fbs/FBS || return 1
  ninja -C "$W/out" "${NINJA_JOBS[@]}" mediasoup-worker || return 1
  worker_runs "$BUILT" || { log "built worker does not run (expected exit code 41 with empty env)"; return 1; }
  if [[ "$MALLOC_WANTED" == mimalloc ]] && ! ldd "$BUILT" | grep -c 'libmimalloc' >/dev/null; then
    log "worker does not link mimalloc (MEDIASOUP_WORKER_MALLOC=glibc builds without it)"
    return 1
  fi
  if [[ $SRTP_FLAVOUR == openssl ]] && ldd "$BUILT" | grep -cE 'libsrtp2|libnss3' >/dev/null; then
    log "worker still links the shared (NSS) libsrtp2 instead of the static OpenSSL build"
    return 1
  fi
}
start=$SECONDS
if ! build_worker; then
  [[ $SRTP_FLAVOUR == openssl ]] || die "worker build failed"
  # Never leave a machine without a worker: one more try on Debian's libsrtp2.
  SRTP_FLAVOUR=nss SRTP_WHY="worker build with the OpenSSL libsrtp failed"
  log "WARNING: $SRTP_WHY; building again against Debian's libsrtp2 (NSS)"
  export PKG_CONFIG_PATH="${PKG_CONFIG_PATH#"$WORK/srtp-prefix/lib/pkgconfig"}"
  PKG_CONFIG_PATH="${PKG_CONFIG_PATH#:}"
  build_worker || die "worker build failed"
fi
log "built in $((SECONDS - start))s"

# 7. Atomic install into the cache.
tmp="$CACHED_BIN.tmp.$$"
cp "$BUILT" "$tmp"
chmod 755 "$tmp"
if [[ $SRTP_FLAVOUR == openssl ]]; then echo "openssl (libsrtp $LIBSRTP_DEB_VERSION, static)" >"$SRTP_NOTE"; else echo "$SRTP_WHY" >"$SRTP_NOTE"; fi
mv -f "$tmp" "$CACHED_BIN"
log "installed $CACHED_BIN (SRTP: $SRTP_FLAVOUR, malloc: $MALLOC_WANTED)"
echo "$CACHED_BIN" >&3
