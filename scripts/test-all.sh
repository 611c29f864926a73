#!/usr/bin/env bash
# The README's test command (and what .ci/run calls): install, type-check, build, run every test —
# unit, reference (through the CLI), language-server protocol — then the end-to-end suite in a real
# VS Code (code-server + Chromium; set CI_SKIP_E2E=1 to skip it).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
npm ci --no-audit --no-fund
npm run -s typecheck
npm test
echo "[test-all] unit/integration tests done in $((SECONDS - t0)) s"
npm run -s test:e2e
echo "[test-all] all done in $((SECONDS - t0)) s"
