#!/usr/bin/env bash
# `npm run package`: production build (esbuild, minified, no source maps) + `vsce package`
# -> panelspec-<version>.vsix in the repository root (or $VSIX_OUT). The package holds no
# node_modules: dist/ carries everything bundled, and .vscodeignore drops sources, tests and data.
#
# Which vsce: @vscode/vsce 3.9.x, deliberately. vsce 4.x (and 3.8) declare `node >= 22`, while
# this project builds and tests on Node 20; 3.9.x declares `node >= 20` and runs on both Node 20
# and the Node 24 that only code-server needs in the e2e harness. It is pinned once, in
# test/e2e/harness/package.json. If the harness is not installed (it is ~700 MB with
# code-server), just vsce is installed into test/e2e/.work/vsce, at the same pinned version.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
HARNESS="$ROOT/test/e2e/harness"
say() { echo "package: $*"; }

# 1) production bundles only. `--only` with a substring no test path contains skips the
#    test/bench bundles, so an unrelated test that does not compile cannot block packaging.
say "node scripts/build.mjs --production"
node scripts/build.mjs --production --only __no_test_bundles__
for f in dist/extension.js dist/cli.js; do
  [ -s "$f" ] || { echo "package: error: $f was not produced by the build (is its entry point written yet?)" >&2; exit 1; }
done

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

# 3) package. --no-dependencies: do not walk node_modules (all is bundled). Without a LICENSE
#    file vsce would stop and ask on the terminal; --skip-license keeps it non-interactive.
#    --readme-path: the package's Details page shows media/README.md (for users: no images, no
#    developer set-up), not the repository README. --no-rewrite-relative-links: the repository URL
#    is a placeholder, so vsce must not try to turn links into repository URLs.
version="$(node -p "require('./package.json').version")"
OUT="${VSIX_OUT:-$ROOT/panelspec-$version.vsix}"
args=(package --no-dependencies --no-rewrite-relative-links --readme-path media/README.md --out "$OUT")
[ -e LICENSE ] || [ -e LICENSE.md ] || [ -e LICENSE.txt ] || args+=(--skip-license)
say "vsce ${args[*]}"
"$VSCE" "${args[@]}"

# 4) guard the promise of this script: no node_modules inside, and report the size.
listing="$(node -e '
  // list entries of the .vsix (a zip) without unzip: read the central directory
  const b = require("fs").readFileSync(process.argv[1]);
  let e = b.length - 22; while (e >= 0 && b.readUInt32LE(e) !== 0x06054b50) e--;
  let p = b.readUInt32LE(e + 16); const n = b.readUInt16LE(e + 10);
  for (let i = 0; i < n; i++) {
    const nl = b.readUInt16LE(p + 28), xl = b.readUInt16LE(p + 30), cl = b.readUInt16LE(p + 32);
    console.log(b.readUInt32LE(p + 24) + "\t" + b.toString("utf8", p + 46, p + 46 + nl));
    p += 46 + nl + xl + cl;
  }' "$OUT")"
if grep -q 'node_modules/' <<<"$listing"; then
  echo "package: error: $OUT contains node_modules:" >&2; grep 'node_modules/' <<<"$listing" | head >&2; exit 1
fi
for f in extension/dist/extension.js extension/dist/cli.js extension/package.json extension/dist/resvg.wasm extension/dist/fonts/DejaVuSans.ttf extension/media/icon.png extension/changelog.md extension/readme.md; do
  grep -q "	$f\$" <<<"$listing" || { echo "package: error: $OUT lacks $f" >&2; exit 1; }
done
bytes=$(stat -c %s "$OUT")
say "$(basename "$OUT"): $(awk -v b="$bytes" 'BEGIN{printf "%.2f MB", b/1048576}') ($bytes bytes, $(wc -l <<<"$listing") files)"
# resvg.wasm (2.4 MB) and two DejaVu fonts (1.4 MB) render PNG/PDF plots offline on every platform
[ "$bytes" -lt $((10 * 1024 * 1024)) ] || echo "package: warning: larger than 10 MB" >&2
