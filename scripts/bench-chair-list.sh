#!/usr/bin/env bash
# The chair's site list at region scale (tests/bench/chair-list.ts, part of npm run bench): the real server, 115
# socket sites and the chair's console in Chromium, in a private loopback-only network namespace. Figures only.
source "$(dirname "$0")/lib.sh"
ensure_node_modules
ensure_worker
ensure_console_built
in_netns npx tsx tests/bench/chair-list.ts
