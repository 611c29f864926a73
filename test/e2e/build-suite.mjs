// Bundles the extension-host mocha suite (suite/*.ts) with esbuild into <outDir>:
// index.js (the extensionTestsPath entry) and extension.e2e.js (the tests it adds).
// `vscode` is provided by the extension host; `mocha` stays external and resolves from the
// repository's node_modules, so <outDir> must lie inside the repository (default test/e2e/.work/suite).
//   node test/e2e/build-suite.mjs [outDir]
import { build } from 'esbuild';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outDir = process.argv[2] ?? join(here, '.work', 'suite');
const rel = relative(root, outDir);
if (rel.startsWith('..') || isAbsolute(rel)) {
  console.error(`build-suite: error: ${outDir} is outside the repository; require('mocha') would not resolve there`);
  process.exit(1);
}
try {
  await build({
    entryPoints: [join(here, 'suite', 'index.ts'), join(here, 'suite', 'extension.e2e.ts')],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'silent',
  });
} catch (e) {
  for (const err of e.errors ?? [e]) {
    const loc = err.location ? `${err.location.file}:${err.location.line}:${err.location.column}: ` : '';
    console.error(`build-suite: ${loc}error: ${err.text ?? err.message}`);
  }
  process.exit(1);
}
console.log(`build-suite: ${relative(root, outDir)}/index.js`);
