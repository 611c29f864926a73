#!/usr/bin/env bash
# `npm run package`: production build (esbuild, minified, no source maps) + `vsce package --target`
# -> panelspec-<version>-<target>.vsix in the repository root (or $VSIX_OUT, one target only).
#
#   bash scripts/package-vsix.sh                      the host's target (linux-x64 here)
#   bash scripts/package-vsix.sh --target darwin-arm64 [--target win32-x64 ...]
#   bash scripts/package-vsix.sh --all-targets         every target DuckDB ships a binding for
#
# Why platform-specific: the embedded DuckDB (`@duckdb/node-api`, for lazy datasets) is a native
# N-API addon. esbuild bundles everything else into dist/; `@duckdb/node-api` stays external
# (scripts/build.mjs) and dist/cli.js require()s it from the extension's own node_modules, which
# holds exactly four packages: @duckdb/node-api, @duckdb/node-bindings (the loader, picks the
# platform package at run time), its dependency detect-libc, and ONE platform binding
# @duckdb/node-bindings-<os>-<cpu>[-musl] (duckdb.node + libduckdb, ~70 MB unpacked, ~20 MB packed).
#
# How: each target is staged in out/vsix/<target>/ (package.json with dependencies reduced to
# @duckdb/node-api, the built dist/, syntaxes, media, ...), its node_modules installed by
# `npm install --os --cpu --libc` (npm fetches that platform's optional binding whatever the host
# is; from ~/.npm when cached), then vsce packages the stage with its production dependencies
# (`npm list --production`). The version installed is the one in the repository's node_modules,
# i.e. the one the tests ran against.
#
# Which vsce: @vscode/vsce 3.9.x, deliberately. vsce 4.x (and 3.8) declare `node >= 22`, while
# this project builds and tests on Node 20; 3.9.x declares `node >= 20`, runs on both Node 20
# and the Node 24 that only code-server needs in the e2e harness, and has `--target`. It is pinned
# once, in test/e2e/harness/package.json. If the harness is not installed (it is ~700 MB with
# code-server), just vsce is installed into test/e2e/.work/vsce, at the same pinned version.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
HARNESS="$ROOT/test/e2e/harness"
say() { echo "package: $*"; }
die() { echo "package: error: $*" >&2; exit 1; }

# VS Code target -> npm os, cpu, libc of the DuckDB binding package it needs. (VS Code's other
# targets have no DuckDB binding: linux-armhf; web has no native code at all.)
ALL_TARGETS=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64 alpine-x64 alpine-arm64)
binding_of() {  # prints "os cpu libc binding-package" for a VS Code target
  case "$1" in
    linux-x64)    echo "linux x64 glibc @duckdb/node-bindings-linux-x64" ;;
    linux-arm64)  echo "linux arm64 glibc @duckdb/node-bindings-linux-arm64" ;;
    alpine-x64)   echo "linux x64 musl @duckdb/node-bindings-linux-x64-musl" ;;
    alpine-arm64) echo "linux arm64 musl @duckdb/node-bindings-linux-arm64-musl" ;;
    darwin-x64)   echo "darwin x64 - @duckdb/node-bindings-darwin-x64" ;;
    darwin-arm64) echo "darwin arm64 - @duckdb/node-bindings-darwin-arm64" ;;
    win32-x64)    echo "win32 x64 - @duckdb/node-bindings-win32-x64" ;;
    win32-arm64)  echo "win32 arm64 - @duckdb/node-bindings-win32-arm64" ;;
    *) return 1 ;;
  esac
}
HOST_TARGET="$(node -p '
  const musl = process.platform === "linux" && !process.report.getReport().header.glibcVersionRuntime;
  (musl ? "alpine" : process.platform) + "-" + process.arch')"

targets=()
while (($#)); do
  case "$1" in
    --target) [ $# -ge 2 ] || die "--target needs a value (one of: ${ALL_TARGETS[*]})"; targets+=("$2"); shift 2 ;;
    --target=*) targets+=("${1#--target=}"); shift ;;
    --all-targets) targets+=("${ALL_TARGETS[@]}"); shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (usage: package-vsix.sh [--target T]... [--all-targets])" ;;
  esac
done
((${#targets[@]})) || targets=("$HOST_TARGET")
for t in "${targets[@]}"; do
  binding_of "$t" >/dev/null || die "no DuckDB binding for target '$t'; targets: ${ALL_TARGETS[*]}"
done
[ -z "${VSIX_OUT:-}" ] || [ ${#targets[@]} -eq 1 ] || die "VSIX_OUT names one file: give one --target"

# the DuckDB version: the one installed here (what the tests ran against)
DUCK_PKG="$ROOT/node_modules/@duckdb/node-api/package.json"
node -e 'process.exit(require(process.argv[1]).dependencies?.["@duckdb/node-api"] ? 0 : 1)' "$ROOT/package.json" \
  || die "package.json has no dependency on @duckdb/node-api"
[ -s "$DUCK_PKG" ] || die "node_modules/@duckdb/node-api is not installed (run npm ci)"
DUCK_VERSION="$(node -p "require('$DUCK_PKG').version")"

# 1) production bundles only. `--only` with a substring no test path contains skips the
#    test/bench bundles, so an unrelated test that does not compile cannot block packaging.
say "node scripts/build.mjs --production"
node scripts/build.mjs --production --only __no_test_bundles__
for f in dist/extension.js dist/cli.js; do
  [ -s "$f" ] || die "$f was not produced by the build (is its entry point written yet?)"
done
grep -q '@duckdb/node-api' dist/*.js || die "no bundle in dist/ requires @duckdb/node-api (is it external in scripts/build.mjs?)"

# 2) vsce
VSCE="$HARNESS/node_modules/.bin/vsce"
if [ ! -x "$VSCE" ]; then
  ver="$(node -p "require('$HARNESS/package.json').dependencies['@vscode/vsce']")"
  VSCE="$ROOT/test/e2e/.work/vsce/node_modules/.bin/vsce"
  if [ ! -x "$VSCE" ]; then
    say "npm install @vscode/vsce@$ver (test/e2e/.work/vsce)"
    npm install --prefix "$ROOT/test/e2e/.work/vsce" --no-audit --no-fund --no-save "@vscode/vsce@$ver" >/dev/null
  fi
fi

# list the entries of a .vsix (a zip) as "size<TAB>name", without unzip: read the central directory
vsix_listing() {
  node -e '
    const b = require("fs").readFileSync(process.argv[1]);
    let e = b.length - 22; while (e >= 0 && b.readUInt32LE(e) !== 0x06054b50) e--;
    let p = b.readUInt32LE(e + 16); const n = b.readUInt16LE(e + 10);
    for (let i = 0; i < n; i++) {
      const nl = b.readUInt16LE(p + 28), xl = b.readUInt16LE(p + 30), cl = b.readUInt16LE(p + 32);
      console.log(b.readUInt32LE(p + 24) + "\t" + b.toString("utf8", p + 46, p + 46 + nl));
      p += 46 + nl + xl + cl;
    }' "$1"
}

version="$(node -p "require('./package.json').version")"
for target in "${targets[@]}"; do
  read -r os cpu libc binding < <(binding_of "$target")
  OUT="${VSIX_OUT:-$ROOT/panelspec-$version-$target.vsix}"
  STAGE="$ROOT/out/vsix/$target"
  say "[$target] stage $STAGE (DuckDB binding $binding@$DUCK_VERSION)"
  rm -rf "$STAGE"; mkdir -p "$STAGE"
  # what the package carries besides node_modules (.vscodeignore trims it further)
  cp -r dist syntaxes media language-configuration.json CHANGELOG.md .vscodeignore "$STAGE/"
  for f in LICENSE LICENSE.md LICENSE.txt; do [ -e "$f" ] && cp "$f" "$STAGE/"; done
  # the manifest, with the runtime dependencies reduced to the one that is not bundled, and no
  # scripts/devDependencies (nothing to build in the stage)
  node -e '
    const [src, dst, v] = process.argv.slice(1);
    const m = JSON.parse(require("fs").readFileSync(src, "utf8"));
    m.dependencies = { "@duckdb/node-api": v };
    delete m.devDependencies; delete m.scripts; delete m.optionalDependencies;
    require("fs").writeFileSync(dst, JSON.stringify(m, null, 2) + "\n");' package.json "$STAGE/package.json" "$DUCK_VERSION"
  npm_args=(install --no-audit --no-fund --no-package-lock --ignore-scripts --prefer-offline --omit=dev --os="$os" --cpu="$cpu")
  [ "$libc" = - ] || npm_args+=(--libc="$libc")
  (cd "$STAGE" && npm "${npm_args[@]}" >/dev/null) || die "[$target] npm ${npm_args[*]} failed"
  # exactly the four packages, and this target's binding only
  installed="$(cd "$STAGE/node_modules" && { ls -d @*/* 2>/dev/null; ls -d [!@.]* 2>/dev/null; } | sort | tr '\n' ' ')"
  expected="$(printf '%s\n' @duckdb/node-api @duckdb/node-bindings "$binding" detect-libc | sort | tr '\n' ' ')"
  [ "$installed" = "$expected" ] || die "[$target] the stage's node_modules holds '$installed', expected '$expected'"
  [ -s "$STAGE/node_modules/$binding/duckdb.node" ] || die "[$target] $binding has no duckdb.node"

  # 3) package. vsce walks the stage's production dependencies (`npm list --production`), i.e. the
  #    four packages above. Without a LICENSE file vsce would stop and ask on the terminal;
  #    --skip-license keeps it non-interactive. --readme-path: the package's Details page shows
  #    media/README.md (for users: no images, no developer set-up), not the repository README.
  #    --no-rewrite-relative-links: the repository URL is a placeholder.
  args=(package --target "$target" --no-rewrite-relative-links --readme-path media/README.md --out "$OUT")
  [ -e LICENSE ] || [ -e LICENSE.md ] || [ -e LICENSE.txt ] || args+=(--skip-license)
  say "[$target] vsce ${args[*]}"
  (cd "$STAGE" && "$VSCE" "${args[@]}") || die "[$target] vsce failed"

  # 4) guard the promise of this script: the bundles, the assets, DuckDB's four packages with this
  #    target's binding, and no other node_modules.
  listing="$(vsix_listing "$OUT")"
  for f in extension/dist/extension.js extension/dist/cli.js extension/package.json extension/dist/resvg.wasm \
    extension/dist/fonts/DejaVuSans.ttf extension/media/icon.png extension/changelog.md extension/readme.md \
    extension/node_modules/@duckdb/node-api/package.json extension/node_modules/@duckdb/node-api/lib/index.js \
    extension/node_modules/@duckdb/node-bindings/duckdb.js extension/node_modules/detect-libc/package.json \
    "extension/node_modules/$binding/duckdb.node" "extension/node_modules/$binding/package.json"; do
    grep -q "	$f\$" <<<"$listing" || die "$OUT lacks $f"
  done
  others="$(grep -o 'extension/node_modules/\(@[^/]*/\)\?[^/]*/' <<<"$listing" | sort -u \
    | grep -v -x -e "extension/node_modules/@duckdb/node-api/" -e "extension/node_modules/@duckdb/node-bindings/" \
      -e "extension/node_modules/$binding/" -e "extension/node_modules/detect-libc/" || true)"
  [ -z "$others" ] || die "$OUT carries other node_modules packages: $(tr '\n' ' ' <<<"$others")"
  grep -q 'TargetPlatform="'"$target"'"' <(unzip -p "$OUT" extension.vsixmanifest 2>/dev/null || true) \
    || { command -v unzip >/dev/null && die "$OUT's manifest does not name TargetPlatform=\"$target\""; }

  # 5) on the host's own target, the packaged binding must load and the packaged CLI (the same
  #    bundle that serves as the language server) must run a lazy spec with it: extract the
  #    package, write a Parquet file through ITS node_modules, `use ..., lazy` and summarize it.
  if [ "$target" = "$HOST_TARGET" ] && command -v unzip >/dev/null; then
    X="$(mktemp -d)"; unzip -q "$OUT" 'extension/*' -d "$X"
    node -e '
      const { DuckDBInstance } = require(process.argv[1] + "/extension/node_modules/@duckdb/node-api");
      (async () => {
        const con = await (await DuckDBInstance.create(":memory:")).connect();
        await con.run(`COPY (SELECT range AS i, CAST(range AS DOUBLE) * 0.5 AS x FROM range(1000)) TO '"'"'${process.argv[1]}/t.parquet'"'"' (FORMAT parquet)`);
        console.log(`package: [host] the packaged DuckDB ${(await con.runAndReadAll("SELECT version() AS v")).getRowObjects()[0].v} loads on Node ${process.versions.node}`);
      })().catch((e) => { console.error(`package: error: the packaged DuckDB binding does not load: ${e.message}`); process.exit(1); });
    ' "$X" || { rm -rf "$X"; exit 1; }
    printf 'use "t.parquet", lazy\nsummarize x\n' >"$X/t.pspec"
    node "$X/extension/dist/cli.js" run "$X/t.pspec" --json "$X/t.json" >"$X/run.log" 2>&1 || true
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
      const d = r.find((x) => x.kind === "data"), s = r.find((x) => x.kind === "summary")?.rows?.[0];
      // x = 0, 0.5, ..., 499.5: mean 249.75
      if (!d?.lazy || s?.n !== 1000 || Math.abs(s.mean - 249.75) > 1e-12) throw new Error(JSON.stringify(r).slice(0, 300));
      console.log("package: [host] the packaged CLI runs a lazy Parquet spec (use ..., lazy; summarize) through it");
    ' "$X/t.json" || { echo "package: error: the packaged CLI did not run a lazy spec:" >&2; head -5 "$X/run.log" >&2; rm -rf "$X"; exit 1; }
    rm -rf "$X"
  fi

  bytes=$(stat -c %s "$OUT")
  bindingBytes="$(awk -F'\t' -v b="extension/node_modules/$binding/" 'index($2, b) == 1 { s += $1 } END { print s + 0 }' <<<"$listing")"
  say "[$target] $(basename "$OUT"): $(awk -v b="$bytes" 'BEGIN{printf "%.1f MB", b/1048576}') ($bytes bytes, $(wc -l <<<"$listing") files; the DuckDB binding $(awk -v b="$bindingBytes" 'BEGIN{printf "%.1f MB", b/1048576}') of it unpacked)"
  # DuckDB's binding is most of it (~20 MB packed); resvg.wasm (2.4 MB) and two DejaVu fonts
  # (1.4 MB) render PNG/PDF plots offline on every platform
  [ "$bytes" -lt $((40 * 1024 * 1024)) ] || echo "package: warning: larger than 40 MB" >&2
done
