#!/usr/bin/env bash
# The README's test command: install, build, type-check, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run -s typecheck
npm test
