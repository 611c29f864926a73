// Bundles every entry point with esbuild: the extension (client), the CLI (which is also the
// language server: `panelspec lsp --stdio`), the estimation worker, tests and benches.
// esbuild rather than tsc emit: one fast step, no CJS/ESM friction (chevrotain 11 is ESM-only),
// and the .vsix carries no node_modules. Type checking is `npm run typecheck`.
//
//   node scripts/build.mjs                 everything
//   node scripts/build.mjs --only engine   only test/bench files whose path contains "engine"
//                                          (plus the main bundles unless --no-main)
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, mkdirSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const prod = argv.includes('--production');
const noMain = argv.includes('--no-main');
const onlyIdx = argv.indexOf('--only');
const only = onlyIdx >= 0 ? argv[onlyIdx + 1] : undefined;

function walk(dir, pred, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.') || name === 'fixtures' || name === 'reference') continue;
    if (statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'silent',
  // DuckDB is a native binding: it stays out of the bundles and loads from node_modules (the CLI,
  // the tests) or from the platform .vsix's own node_modules
  external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings'],
};

const jobs = [];
if (!noMain) {
  for (const e of [
    { in: 'client/src/extension.ts', out: 'dist/extension' },
    { in: 'server/src/cli/main.ts', out: 'dist/cli' },
    { in: 'server/src/runtime/worker.ts', out: 'dist/worker' },
    { in: 'server/src/lsp/dataWorker.ts', out: 'dist/loadWorker' },
    { in: 'server/src/data/csvWorker.ts', out: 'dist/csvWorker' },
  ]) {
    if (!existsSync(join(root, e.in))) continue;
    jobs.push({ file: e.in, opts: { ...common, sourcemap: prod ? false : 'linked', minify: prod, entryPoints: [{ in: join(root, e.in), out: e.out }], outdir: root } });
  }
}
const isTs = (p) => p.endsWith('.ts') && !p.endsWith('.d.ts');
const testFiles = [...walk(join(root, 'test'), isTs), ...walk(join(root, 'bench'), isTs)]
  .filter((p) => !relative(root, p).startsWith('test/e2e/'))
  .filter((p) => !only || relative(root, p).includes(only));
for (const p of testFiles) {
  const out = join('out', relative(root, p)).replace(/\.ts$/, '');
  jobs.push({ file: relative(root, p), opts: { ...common, sourcemap: 'inline', entryPoints: [{ in: p, out }], outdir: root } });
}

// the TextMate grammar's command keywords come from the command table
if (!only || only.includes('grammar')) {
  await build({ ...common, entryPoints: [{ in: join(root, 'scripts/syntaxKeywords.ts'), out: 'out/scripts/syntaxKeywords' }], outdir: root });
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [join(root, 'out/scripts/syntaxKeywords.js'), join(root, 'syntaxes/panelspec.tmLanguage.json')], { stdio: 'inherit' });
}
// Files the bundles read at run time (graph export to PNG/PDF): resvg's WebAssembly and the fonts,
// next to dist/cli.js so the .vsix (which has no node_modules) carries them.
if (!noMain) {
  const req = createRequire(join(root, 'package.json'));
  mkdirSync(join(root, 'dist', 'fonts'), { recursive: true });
  copyFileSync(req.resolve('@resvg/resvg-wasm/index_bg.wasm'), join(root, 'dist', 'resvg.wasm'));
  const fontDir = join(req.resolve('dejavu-fonts-ttf/package.json'), '..', 'ttf');
  for (const f of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) copyFileSync(join(fontDir, f), join(root, 'dist', 'fonts', f));
  copyFileSync(join(fontDir, '..', 'LICENSE'), join(root, 'dist', 'fonts', 'LICENSE-DejaVu'));
}

const results = await Promise.allSettled(jobs.map((j) => build(j.opts)));
let failed = 0;
results.forEach((r, i) => {
  if (r.status === 'rejected') {
    failed++;
    const errs = r.reason?.errors ?? [];
    console.error(`build failed: ${jobs[i].file}`);
    for (const e of errs.slice(0, 5)) console.error(`  ${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ''}${e.text}`);
  }
});
console.log(`built ${jobs.length - failed}/${jobs.length} bundles`);
process.exit(failed ? 1 : 0);
