#!/usr/bin/env bash
# npm run bench:sfu — SFU forwarding cost (tests/bench/sfu.ts), mediasoup vs Janus, in a private network
# namespace (loopback only, its own UDP counters, no port clashes). Prints figures only.
source "$(dirname "$0")/lib.sh"
ensure_node_modules
ensure_worker
ensure_apt ffmpeg janus util-linux iproute2 ethtool openssl
exec unshare -n -m bash -c 'ip link set lo up && exec npx tsx tests/bench/sfu.ts' 
