// Regressor diagnostics (within share, VIF, condition number) against direct computations; exact
// counting of a FE nested in an earlier one; the balanced-panel demeaning shortcut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { estimate } from '../../server/src/engine/estimate';
import { FixedEffects } from '../../server/src/engine/demean';
import { fullyRedundant, isCompleteGrid, redundantLevels, type SampleFactor } from '../../server/src/engine/factors';
import type { RegressionInput } from '../../server/src/engine/types';
import { rng, normal, dummyCols, exactOls } from './exactols';
import { close } from './helpers';

/** U units x T years (a share `drop` of rows left out), units nested in S states; x3 is almost x1 + x2. */
function panel(seed: number, U: number, T: number, S: number, drop: number) {
  const r = rng(seed);
  const z = normal(r);
  const ue = Array.from({ length: U }, () => z());
  const unit: number[] = [];
  const year: number[] = [];
  for (let u = 0; u < U; u++) for (let t = 0; t < T; t++) if (r() >= drop) { unit.push(u); year.push(t); }
  const n = unit.length;
  const x1 = Float64Array.from(unit, (u) => z() + 2 * ue[u]);
  // x2: mostly a unit effect plus a trend, little within variation
  const x2 = Float64Array.from(unit, (u, i) => 5 * ue[u] + 0.3 * year[i] + 0.1 * z());
  const x3 = Float64Array.from({ length: n }, (_, i) => x1[i] + 3 * x2[i] + 0.2 * z());
  const y = Float64Array.from({ length: n }, (_, i) => x1[i] - x2[i] + 0.5 * x3[i] + ue[unit[i]] + z());
  const w = Float64Array.from({ length: n }, () => 0.5 + r());
  return { n, U, T, S, unit: Int32Array.from(unit), year: Int32Array.from(year), state: Int32Array.from(unit, (u) => u % S), xs: [x1, x2, x3], y, w };
}
type Panel = ReturnType<typeof panel>;

function input(p: Panel, weighted: boolean, fes: [string, Int32Array][], cluster?: Int32Array): RegressionInput {
  return {
    depvar: { name: 'y', values: p.y },
    regressors: p.xs.map((v, j) => ({ name: `x${j + 1}`, values: v })),
    fixedEffects: fes.map(([name, codes]) => ({ name, codes })),
    constant: false,
    weights: weighted ? p.w : undefined,
    vcov: cluster ? { type: 'cluster', clusters: [{ name: 'unit', codes: cluster }] } : { type: 'iid' },
    dropSingletons: false,
  };
}

for (const weighted of [false, true]) {
  test(`diagnostics match a direct computation (two FE, ${weighted ? 'weighted' : 'unweighted'})`, () => {
    const p = panel(11, 30, 7, 4, 0.2);
    const w = weighted ? p.w : undefined;
    const core = estimate(input(p, weighted, [['unit', p.unit], ['year', p.year]], p.unit));
    const dummies = [...dummyCols(p.unit, p.U), ...dummyCols(p.year, p.T, 0)];
    // demeaned regressors: residuals of each on the dummies
    const tilde = p.xs.map((x) => exactOls(dummies, x, w).resid);
    const sw = w ? Array.from(w) : new Array(p.n).fill(1);
    const W = sw.reduce((s, v) => s + v, 0);
    tilde.forEach((xt, j) => {
      const x = p.xs[j];
      const mean = x.reduce((s, v, i) => s + sw[i] * v, 0) / W;
      const raw = x.reduce((s, v, i) => s + sw[i] * (v - mean) ** 2, 0);
      const within = xt.reduce((s, v, i) => s + sw[i] * v * v, 0);
      close((core.within_share as Record<string, number>)[`x${j + 1}`], within / raw, `within share x${j + 1}`, 1e-8);
    });
    // x2 has little within variation: its share is small but not zero
    assert.ok((core.within_share as Record<string, number>).x2 < 0.05);
    // VIF_j = 1 / (1 - R2_j), R2 of demeaned x_j on the other demeaned regressors (mean zero: uncentred)
    for (let j = 0; j < 3; j++) {
      const others = tilde.filter((_, k) => k !== j);
      const fit = exactOls(others, tilde[j], w);
      const tss = tilde[j].reduce((s, v, i) => s + sw[i] * v * v, 0);
      close((core.vif as Record<string, number>)[`x${j + 1}`], tss / fit.ssr, `vif x${j + 1}`, 1e-7);
    }
    assert.ok((core.vif as Record<string, number>).x3 > 10, 'x3 is nearly x1 + 3 x2: high VIF');
    // condition number of the weighted correlation matrix of the demeaned regressors
    const R = new Matrix(3, 3);
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + sw[i] * x * v[i], 0);
        R.set(a, b, dot(tilde[a], tilde[b]) / Math.sqrt(dot(tilde[a], tilde[a]) * dot(tilde[b], tilde[b])));
      }
    const ev = new EigenvalueDecomposition(R).realEigenvalues;
    close(core.condition_number as number, Math.sqrt(Math.max(...ev) / Math.min(...ev)), 'condition number', 1e-7);
  });
}

test('diagnostics: a regressor collinear with the FEs has within share ~0 and no VIF', () => {
  const p = panel(12, 20, 6, 4, 0.1);
  const unitOnly = Float64Array.from(p.unit, (u) => u * 0.5 + 1);
  const inp = input(p, false, [['unit', p.unit], ['year', p.year]]);
  inp.regressors = [inp.regressors[0], { name: 'u', values: unitOnly }];
  const core = estimate(inp);
  assert.ok((core.within_share as Record<string, number>).u < 1e-12);
  assert.deepEqual(Object.keys(core.vif as object), ['x1']);
  close((core.vif as Record<string, number>).x1, 1, 'single regressor VIF', 1e-12);
  close(core.condition_number as number, 1, 'single regressor condition number', 1e-12);
});

for (const vcov of ['cluster', 'iid'] as const) {
  test(`fe(unit year state) with state constant within unit: same K and SE as fe(unit year) (${vcov})`, () => {
    const p = panel(13, 40, 8, 6, 0.15);
    const cl = vcov === 'cluster' ? p.unit : undefined;
    const two = estimate(input(p, true, [['unit', p.unit], ['year', p.year]], cl));
    const three = estimate(input(p, true, [['unit', p.unit], ['year', p.year], ['state', p.state]], cl));
    const first = estimate(input(p, true, [['state', p.state], ['unit', p.unit], ['year', p.year]], cl));
    for (const m of [three, first]) {
      assert.equal(m.df_k, two.df_k);
      assert.equal(m.df_resid, two.df_resid);
      m.coefficients.forEach((c, j) => {
        close(c.estimate, two.coefficients[j].estimate, `b${j}`, 1e-9);
        close(c.se, two.coefficients[j].se, `se${j}`, 1e-9);
      });
    }
  });
}

test('fullyRedundant: only a FE with an earlier finer FE nested in it', () => {
  const f = (name: string, codes: number[]): SampleFactor => ({ name, codes: Int32Array.from(codes), nlevels: Math.max(...codes) + 1 });
  const city = f('city', [0, 0, 1, 1, 2, 2, 3, 3]);
  const year = f('year', [0, 1, 0, 1, 0, 1, 0, 1]);
  const prov = f('prov', [0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual(fullyRedundant([city, year, prov]), [false, false, true]);
  assert.equal(redundantLevels([city, year, prov]), 1 + 2);
  // the coarser FE first: left to the components of the first pair (exact there too)
  assert.deepEqual(fullyRedundant([prov, city, year]), [false, false, false]);
  assert.equal(redundantLevels([prov, city, year]), 2 + 1);
  // order among the others does not matter, only that the finer one comes first
  assert.deepEqual(fullyRedundant([city, prov, year]), [false, true, false]);
  assert.equal(redundantLevels([city, prov, year]), 2 + 1);
});

test('balanced panel: complete grid detected, demeaned in one pass, exact', () => {
  const p = panel(14, 25, 6, 5, 0);
  assert.equal(p.n, 150);
  const fes = (codes: Int32Array, nlevels: number): SampleFactor => ({ name: 'f', codes, nlevels });
  const fu = fes(p.unit, p.U);
  const fy = fes(p.year, p.T);
  assert.ok(isCompleteGrid(fu, fy));
  assert.ok(new FixedEffects([fu, fy]).balanced);
  assert.ok(!new FixedEffects([fu, fy], p.w).balanced, 'weights: no shortcut');
  // the same grid with rows in another order (not sorted by unit): still a grid
  const perm = Array.from({ length: p.n }, (_, i) => (i * 7) % p.n); // 7 is prime to 150
  assert.ok(isCompleteGrid(fes(Int32Array.from(perm, (i) => p.unit[i]), p.U), fes(Int32Array.from(perm, (i) => p.year[i]), p.T)));
  // one cell twice, another missing: not a grid
  const y2 = Int32Array.from(p.year);
  y2[1] = 0;
  assert.ok(!isCompleteGrid(fu, fes(y2, p.T)));
  assert.ok(!isCompleteGrid(fes(Int32Array.from(perm, (i) => p.unit[i]), p.U), fes(Int32Array.from(perm, (i) => y2[i]), p.T)));
  const core = estimate(input(p, false, [['unit', p.unit], ['year', p.year]], p.unit));
  assert.equal(core.iterations, 1);
  const ex = exactOls([...p.xs.map((x) => Array.from(x)), ...dummyCols(p.unit, p.U), ...dummyCols(p.year, p.T, 0)], p.y);
  core.coefficients.forEach((c, j) => close(c.estimate, ex.beta[j], `b${j}`, 1e-9));
  close(core.ssr, ex.ssr, 'ssr', 1e-9);
  // unit weights take the general path (sweep + separate cross products): same model, same numbers
  const general = estimate({ ...input(p, false, [['unit', p.unit], ['year', p.year]], p.unit), weights: new Float64Array(p.n).fill(1) });
  core.coefficients.forEach((c, j) => {
    close(c.estimate, general.coefficients[j].estimate, `fused b${j}`, 1e-10);
    close(c.se, general.coefficients[j].se, `fused se${j}`, 1e-10);
  });
  for (const k of ['x1', 'x2', 'x3']) {
    close((core.within_share as Record<string, number>)[k], (general.within_share as Record<string, number>)[k], `fused within ${k}`, 1e-10);
    close((core.vif as Record<string, number>)[k], (general.vif as Record<string, number>)[k], `fused vif ${k}`, 1e-10);
  }
  close(core.r2_within as number, general.r2_within as number, 'fused r2 within', 1e-10);
  // the shortcut and the general sweep agree on a column with a large common level
  const x = Float64Array.from(p.year, (t, i) => 2003 + t + 0.01 * p.xs[0][i]);
  const fast = new FixedEffects([fu, fy]).demean(x).values;
  const slow = new FixedEffects([fu, fy], new Float64Array(p.n).fill(1)).demean(x).values;
  fast.forEach((v, i) => assert.ok(Math.abs(v - slow[i]) < 1e-11, `row ${i}: ${v} vs ${slow[i]}`));
});

test('regression through the origin (no FE, no constant) estimates instead of failing', () => {
  const n = 50;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const y = Float64Array.from({ length: n }, (_, i) => 2 * x[i] + Math.cos(3 * i));
  const core = estimate({ depvar: { name: 'y', values: y }, regressors: [{ name: 'x', values: x }], fixedEffects: [], constant: false, vcov: { type: 'iid' } });
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += x[i] * y[i];
    sxx += x[i] * x[i];
  }
  const b = sxy / sxx;
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += (y[i] - b * x[i]) ** 2;
  close(core.coefficients[0].estimate, b, 'b', 1e-12);
  close(core.coefficients[0].se, Math.sqrt(ssr / (n - 1) / sxx), 'se', 1e-10);
});

test('clustered SEs from the fused residual pass, near-collinear regressors (refinement step), weights and a constant', async () => {
  const { rawSandwich } = await import('./exactols');
  const p = panel(15, 30, 6, 5, 0.1);
  const z = normal(rng(99));
  const x3 = Float64Array.from(p.xs[0], (v, i) => v + 3 * p.xs[1][i] + 0.05 * z());
  const inp: RegressionInput = {
    depvar: { name: 'y', values: p.y },
    regressors: [{ name: 'x1', values: p.xs[0] }, { name: 'x2', values: p.xs[1] }, { name: 'x3', values: x3 }],
    fixedEffects: [],
    constant: true,
    weights: p.w,
    vcov: { type: 'cluster', clusters: [{ name: 'unit', codes: p.unit }] },
    dropSingletons: false,
  };
  const core = estimate(inp);
  assert.ok((core.vif as Record<string, number>).x3 > 1e3, 'near-collinear');
  const ones = new Array(p.n).fill(1);
  const ex = exactOls([Array.from(p.xs[0]), Array.from(p.xs[1]), Array.from(x3), ones], p.y, p.w);
  const V = rawSandwich(ex, p.w, [p.unit]);
  const n = p.n;
  const K = 4;
  const scale = ((n - 1) / (n - K)) * (p.U / (p.U - 1));
  core.coefficients.forEach((c, j) => {
    close(c.estimate, ex.beta[j], `b${j}`, 1e-6);
    close(c.se, Math.sqrt(V.get(j, j) * scale), `se${j}`, 1e-6);
  });
});
