// The hard fixed-effects graph (hardGraph.ts: 200,000 rows, 20,000 workers moving rarely along a chain
// of 1,000 firms, 10 years): worker + firm + year FE, clustered by worker, through the CLI (the model's
// own seconds), and in-process the accuracy of the demeaning: the direct solve (twoWay.ts) against
// conjugate gradients alone at the default tolerance. fixest anchor (5.7 s at its default tolerance,
// ~1e-5 relative accuracy) as given in issue #17; R is not installed here.
//   node scripts/build.mjs --only bench/ && node out/bench/hardgraph.bench.js
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { makeHardGraph, writeHardGraph } from './hardGraph';
import { FixedEffects } from '../server/src/engine/demean';
import type { SampleFactor } from '../server/src/engine/factors';

const FIXEST = 5.7;
const root = join(__dirname, '..', '..');
const dataDir = join(root, 'bench', 'data');

/** sqrt(sum over FEs of ||P_q r||^2) / ||r||: 0 for the exact projection. */
function offShare(r: Float64Array, fes: SampleFactor[]): number {
  let rr = 0;
  for (const v of r) rr += v * v;
  let off = 0;
  for (const f of fes) {
    const s = new Float64Array(f.nlevels);
    const c = new Float64Array(f.nlevels);
    for (let i = 0; i < r.length; i++) {
      s[f.codes[i]] += r[i];
      c[f.codes[i]]++;
    }
    for (let g = 0; g < f.nlevels; g++) if (c[g]) off += (s[g] * s[g]) / c[g];
  }
  return Math.sqrt(off / rr);
}

/** OLS slopes of the demeaned y on the demeaned x's (normal equations; 3 regressors). */
function slopes(cols: Float64Array[]): number[] {
  const [y, ...xs] = cols;
  const k = xs.length;
  const A = xs.map((a) => xs.map((b) => a.reduce((s, v, i) => s + v * b[i], 0)));
  const bvec = xs.map((a) => a.reduce((s, v, i) => s + v * y[i], 0));
  // Gaussian elimination (k = 3)
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) {
      const f = A[j][i] / A[i][i];
      for (let m = i; m < k; m++) A[j][m] -= f * A[i][m];
      bvec[j] -= f * bvec[i];
    }
  const out = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = bvec[i];
    for (let m = i + 1; m < k; m++) s -= A[i][m] * out[m];
    out[i] = s / A[i][i];
  }
  return out;
}

function main(): void {
  console.log(`fixest anchor ${FIXEST} s (issue #17, not measured here: R is not installed). Load average ${loadavg()[0].toFixed(1)} on 2 shared cores.`);
  const g = makeHardGraph();
  const file = join(dataDir, 'hardgraph_200k.csv');
  if (!existsSync(file)) writeHardGraph(file, g);
  const dir = join(dataDir, 'specs');
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, 'hardgraph.pspec');
  const json = join(dir, 'hardgraph.json');
  const model = 'reghdfe y x1 x2 x3, absorb(worker firm year) vce(cluster worker)';
  writeFileSync(spec, `use "${file}", clear\n${model}\n${model}\n${model}\n`);
  const run = spawnSync(process.execPath, [join(root, 'bin', 'panelspec.js'), 'run', spec, '--json', json, '--quiet'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  const est = (JSON.parse(readFileSync(json, 'utf8')) as { results: { kind: string; seconds: number; iterations: number; converged: boolean; coefficients: { estimate: number }[] }[] }).results.filter((r) => r.kind === 'estimation');
  console.log(
    `CLI ${model} (${g.n} rows, ${g.workers} workers, ${g.firms} firms): first model ${est[0].seconds.toFixed(3)} s (ratio ${(est[0].seconds / FIXEST).toFixed(2)}), ` +
      `again ${est.slice(1).map((e) => e.seconds.toFixed(3)).join(' ')} s; iterations ${est[0].iterations}; converged ${est[0].converged}; b ${est[0].coefficients.map((c) => c.estimate.toFixed(6)).join(' ')}`,
  );
  // in-process: the same demeaning, direct solve vs CG alone
  const fes: SampleFactor[] = [
    { name: 'worker', codes: g.worker, nlevels: g.workers },
    { name: 'firm', codes: g.firm, nlevels: g.firms },
    { name: 'year', codes: g.year, nlevels: g.years },
  ];
  const cols = [g.y, ...g.x];
  for (const direct of [true, false]) {
    const fe = new FixedEffects(fes);
    const t0 = performance.now();
    const r = fe.demeanMany(cols, { direct });
    const s = (performance.now() - t0) / 1000;
    const worst = Math.max(...r.columns.map((c) => offShare(c, fes)));
    console.log(
      `  demeaning y, x1..x3 ${direct ? 'direct solve (CG hands over after 20 iterations)' : 'CG alone, tolerance 1e-10'}: ${s.toFixed(2)} s, iterations ${r.iterations}, converged ${r.converged}; ` +
        `worst ||P_FE r|| / ||r|| ${worst.toExponential(1)}; slopes ${slopes(r.columns).map((v) => v.toFixed(9)).join(' ')}`,
    );
  }
}

main();
