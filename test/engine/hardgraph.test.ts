// Absorbing FEs on a weakly connected worker-firm graph (firms linked in a long chain by movers):
// alternating projections crawl here; the CG-accelerated demeaning (or, with a small FE, the direct
// two-way solve) must still reach the exact projection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import { FixedEffects } from '../../server/src/engine/demean';
import { connectedComponents, redundantLevels } from '../../server/src/engine/factors';
import { rng, normal, dummyCols, exactOls } from './exactols';
import { close } from './helpers';
import { makeHardGraph } from '../../bench/hardGraph';

/** Each worker is seen at two adjacent firms of a chain: firm f and f+1. */
function chainGraph(W: number, F: number, seed: number) {
  const r = rng(seed);
  const z = normal(r);
  const worker: number[] = [];
  const firm: number[] = [];
  for (let i = 0; i < W; i++) {
    const f = Math.floor((i * (F - 1)) / W);
    const spells = 2 + (r() < 0.3 ? 1 : 0);
    for (let s = 0; s < spells; s++) {
      worker.push(i);
      firm.push(s === 0 ? f : f + 1);
    }
  }
  const n = worker.length;
  const we = Array.from({ length: W }, () => z());
  const fe = Array.from({ length: F }, (_, f) => f / F + 0.5 * z());
  const x = Float64Array.from({ length: n }, (_, i) => z() + we[worker[i]] + fe[firm[i]]);
  const y = Float64Array.from({ length: n }, (_, i) => 0.8 * x[i] + we[worker[i]] + fe[firm[i]] + 0.3 * z());
  return { n, W, F, worker: Int32Array.from(worker), firm: Int32Array.from(firm), x, y };
}

test('hard FE graph (chain of 30 firms): equals exact dummy-variable OLS', () => {
  const g = chainGraph(150, 30, 1);
  const core = estimate({
    depvar: { name: 'y', values: g.y },
    regressors: [{ name: 'x', values: g.x }],
    fixedEffects: [{ name: 'worker', codes: g.worker }, { name: 'firm', codes: g.firm }],
    constant: false,
    vcov: { type: 'iid' },
    dropSingletons: false,
  });
  assert.equal(core.converged, true);
  // 30 firms: solved directly by the small-FE Schur complement (twoWay.ts), no iteration
  assert.ok(core.iterations <= 3, `iterations ${core.iterations}`);
  const ex = exactOls([Array.from(g.x), ...dummyCols(g.worker, g.W), ...dummyCols(g.firm, g.F, 0)], g.y);
  close(core.coefficients[0].estimate, ex.beta[0], 'estimate', 1e-9);
  const K = 1 + g.W + g.F - 1;
  assert.equal(core.df_k, K);
  close(core.coefficients[0].se, Math.sqrt((ex.ssr / (g.n - K)) * ex.bread.get(0, 0)), 'iid se', 1e-9);
});

test('hard FE graph (chain of 500 firms, 23,000 rows): converges to the exact projection', () => {
  const g = chainGraph(10000, 500, 2);
  const fe = new FixedEffects([
    { name: 'worker', codes: g.worker, nlevels: g.W },
    { name: 'firm', codes: g.firm, nlevels: g.F },
  ]);
  const t0 = performance.now();
  const r = fe.demean(g.y);
  const ms = performance.now() - t0;
  assert.equal(r.converged, true, `not converged after ${r.iterations} iterations`);
  // the result lies in y + span(D) by construction; it is the projection iff it is orthogonal to every dummy
  let norm = 0;
  for (let i = 0; i < g.n; i++) norm += r.values[i] ** 2;
  norm = Math.sqrt(norm);
  for (const [codes, G] of [[g.worker, g.W], [g.firm, g.F]] as const) {
    const s = new Float64Array(G);
    for (let i = 0; i < g.n; i++) s[codes[i]] += r.values[i];
    let worst = 0;
    for (const v of s) worst = Math.max(worst, Math.abs(v));
    assert.ok(worst <= 1e-9 * norm, `group sums not zero: ${worst} vs norm ${norm}`);
  }
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('non-convergence is reported as a warning, never silently', () => {
  // both FEs above the direct solver's size limit: conjugate gradients, cut off after 3 iterations
  const g = chainGraph(4000, 1500, 3);
  const core = estimate({
    depvar: { name: 'y', values: g.y },
    regressors: [{ name: 'x', values: g.x }],
    fixedEffects: [{ name: 'worker', codes: g.worker }, { name: 'firm', codes: g.firm }],
    constant: false,
    vcov: { type: 'iid' },
    dropSingletons: false,
    maxIterations: 3,
  });
  assert.equal(core.converged, false);
  assert.ok(core.warnings.some((w) => /did not converge/.test(w)), core.warnings.join('; '));
  assert.equal(core.iterations, 3);
});

test('redundant FE levels: connected components of the two-FE graph', () => {
  // two disconnected blocks: workers 0-1 with firm 0, workers 2-3 with firms 1-2
  const worker = { name: 'w', codes: Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3]), nlevels: 4 };
  const firm = { name: 'f', codes: Int32Array.from([0, 0, 0, 0, 1, 2, 1, 2]), nlevels: 3 };
  assert.equal(connectedComponents(worker, firm), 2);
  assert.equal(redundantLevels([worker, firm]), 2);
  // a repeated FE is nested in its earlier copy: all its 3 levels are redundant
  assert.equal(redundantLevels([worker, firm, firm]), 5);
  assert.equal(redundantLevels([worker]), 0);
});

test('worker + firm + year on a chain of firms (bench/hardGraph.ts, small): the direct solve equals CG alone and is orthogonal to every FE', () => {
  const g = makeHardGraph(2000, 6, 120, 0.02, 5);
  const fes = [
    { name: 'worker', codes: g.worker, nlevels: g.workers },
    { name: 'firm', codes: g.firm, nlevels: g.firms },
    { name: 'year', codes: g.year, nlevels: g.years },
  ];
  const direct = new FixedEffects(fes).demeanMany([g.y, g.x[0]]);
  const cg = new FixedEffects(fes).demeanMany([g.y, g.x[0]], { direct: false, tolerance: 1e-13 });
  assert.equal(direct.converged, true);
  assert.equal(cg.converged, true);
  assert.ok(cg.iterations > 20, `CG alone should find this graph hard (${cg.iterations} iterations)`);
  for (let j = 0; j < 2; j++) {
    const a = direct.columns[j];
    const b = cg.columns[j];
    let norm = 0;
    let diff = 0;
    for (let i = 0; i < g.n; i++) {
      norm = Math.max(norm, Math.abs(b[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    assert.ok(diff <= 1e-9 * norm, `column ${j}: direct vs CG ${diff} (scale ${norm})`);
    for (const f of fes) {
      const s = new Float64Array(f.nlevels);
      for (let i = 0; i < g.n; i++) s[f.codes[i]] += a[i];
      assert.ok(Math.max(...Array.from(s, Math.abs)) <= 1e-10 * norm * Math.sqrt(g.n), `${f.name} sums`);
    }
  }
});
