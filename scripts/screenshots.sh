#!/usr/bin/env bash
# npm run screenshots: the console's main pages as PNG files in docs/screenshots/, each in zh-CN and in English,
# at a pinned instant on a fresh embedded database, in a loopback-only network namespace like the e2e suite.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_node
ensure_apt chromium iproute2 util-linux
ensure_node_modules
ensure_worker
ensure_console_built
in_netns npx playwright test -c tests/screenshots/playwright.config.ts
say "screenshots: $(ls docs/screenshots | wc -l) pictures in $REPO_ROOT/docs/screenshots"
