// `npm run study`: runs samples/city_clusters.pspec through the CLI and says what it produced: every
// table and figure with its path, the headline estimate of each stored model, and the time taken.
// The full text output goes to samples/output/study.log, the full results to samples/output/results.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const spec = join(root, 'samples', 'city_clusters.pspec');
const outDir = join(root, 'samples', 'output');
const json = join(outDir, 'results.json');
mkdirSync(outDir, { recursive: true });

const t0 = performance.now();
const run = spawnSync(process.execPath, [join(root, 'bin', 'panelspec.js'), 'run', spec, '--json', json], { encoding: 'utf8', maxBuffer: 1 << 28 });
const seconds = (performance.now() - t0) / 1000;
writeFileSync(join(outDir, 'study.log'), run.stdout + run.stderr);
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  console.error(`study: the spec failed (exit ${run.status}); full output in ${relative(process.cwd(), join(outDir, 'study.log'))}`);
  process.exit(run.status ?? 1);
}

const out = JSON.parse(readFileSync(json, 'utf8'));
const specDir = dirname(spec);
const rel = (f) => relative(process.cwd(), join(specDir, f));
const stars = (p) => (!Number.isFinite(p) ? '' : p < 0.01 ? '***' : p < 0.05 ? '**' : p < 0.1 ? '*' : '');
const normalP = (z) => {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  return t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
};
const num = (x) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

console.log(`PanelSpec study: ${relative(process.cwd(), spec)}\n`);
console.log('Tables and figures');
for (const r of out.results) {
  if (!r.file || r.kind === 'data') continue;
  const what = r.kind === 'graph' ? `figure (${r.plot})` : 'table';
  console.log(`  line ${String(r.line).padStart(3)}  ${what.padEnd(22)} ${rel(r.file)}`);
}
console.log('\nHeadline estimates (first regressor of each stored model; clustered SE in parentheses)');
for (const r of out.results) {
  if (r.kind !== 'estimation' || !r.name) continue;
  // an event study's headline is its effect at k = 0 (the first coefficient would be a control)
  const k0 = r.event_time?.find((e) => e.k === 0);
  // csdid's rows have no dummy: its normal p (for the stars only; Abramowitz-Stegun erfc, 1.5e-7)
  const c = k0 ? { term: 'k = 0', estimate: k0.estimate, se: k0.se, p: r.coefficients.find((x) => x.term === k0.term)?.p ?? normalP(k0.estimate / k0.se) } : r.coefficients?.[0];
  if (!c) continue;
  console.log(`  ${r.name.padEnd(22)} ${`${r.command} ${r.depvar}`.padEnd(34)} ${c.term.padEnd(14)} ${num(c.estimate)}${stars(c.p).padEnd(3)} (${num(c.se)})  N=${r.nobs}`);
}
const placebo = out.results.find((r) => r.kind === 'placebo');
if (placebo) console.log(`\nPlacebo: ${placebo.reps ?? ''} draws, actual estimate ${num(placebo.actual)}, share of draws as extreme ${num(placebo.p_value)}`);
const boot = out.results.find((r) => r.kind === 'boottest');
if (boot) console.log(`Wild cluster bootstrap (${boot.model}, ${boot.term}, ${boot.n_clusters} clusters of ${boot.cluster}): p = ${num(boot.p_value)}, ${boot.level}% CI [${num(boot.ci_low)}, ${num(boot.ci_high)}]`);
const bacon = out.results.find((r) => r.kind === 'bacon');
if (bacon) console.log(`Bacon decomposition: TWFE ${num(bacon.twfe)} = ` + bacon.by_type.map((t) => `${num(t.weight)} x ${num(t.avg_estimate)} (${t.type})`).join(' + '));
console.log(`\nAll results: ${relative(process.cwd(), json)} · full output: ${relative(process.cwd(), join(outDir, 'study.log'))}`);
console.log(`Done in ${seconds.toFixed(1)} s (${out.results.length} results).`);
