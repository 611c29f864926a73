// The engine against exact dummy-variable OLS (ml-matrix) on small simulated panels: weights,
// iid/robust/one- and two-way clustered VCOVs, reg with a constant, regressors on extreme scales.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import type { RegressionInput, Factor } from '../../server/src/engine/types';
import { rng, normal, dummyCols, exactOls, rawSandwich } from './exactols';
import { close } from './helpers';

interface Panel {
  n: number;
  unit: Int32Array;
  year: Int32Array;
  state: Int32Array;
  x: Float64Array[];
  y: Float64Array;
  w: Float64Array;
  U: number;
  T: number;
  S: number;
}

/** Unbalanced panel: U units x T years, ~15% of rows dropped, units nested in S states. */
function panel(seed: number, U = 40, T = 8, S = 6): Panel {
  const r = rng(seed);
  const z = normal(r);
  const ue = Array.from({ length: U }, () => z());
  const te = Array.from({ length: T }, () => z());
  const unit: number[] = [];
  const year: number[] = [];
  for (let u = 0; u < U; u++) for (let t = 0; t < T; t++) if (r() > 0.15) { unit.push(u); year.push(t); }
  const n = unit.length;
  const x = [0, 1, 2].map((j) => Float64Array.from(unit, (u) => z() + (j === 0 ? ue[u] : 0.3 * ue[u])));
  const y = Float64Array.from({ length: n }, (_, i) => 1.5 * x[0][i] - 0.7 * x[1][i] + 0.2 * x[2][i] + ue[unit[i]] + te[year[i]] + z());
  const w = Float64Array.from({ length: n }, () => 0.5 + 1.5 * r());
  return { n, unit: Int32Array.from(unit), year: Int32Array.from(year), state: Int32Array.from(unit, (u) => u % S), x, y, w, U, T, S };
}

function fe(name: string, codes: Int32Array): Factor {
  return { name, codes };
}

function baseInput(p: Panel, vcov: RegressionInput['vcov'], weighted: boolean): RegressionInput {
  return {
    depvar: { name: 'y', values: p.y },
    regressors: p.x.map((v, j) => ({ name: `x${j + 1}`, values: v })),
    fixedEffects: [fe('unit', p.unit), fe('year', p.year)],
    constant: false,
    weights: weighted ? p.w : undefined,
    vcov,
    dropSingletons: false,
  };
}

function exactTwfe(p: Panel, weighted: boolean) {
  const cols = [...p.x.map((v) => Array.from(v)), ...dummyCols(p.unit, p.U), ...dummyCols(p.year, p.T, 0)];
  return exactOls(cols, p.y, weighted ? p.w : undefined);
}

for (const weighted of [false, true]) {
  const tag = weighted ? 'weighted' : 'unweighted';
  test(`TWFE ${tag}: iid, robust and clustered SEs equal exact dummy-variable OLS`, () => {
    const p = panel(weighted ? 7 : 3);
    const ex = exactTwfe(p, weighted);
    const n = p.n;
    const w = weighted ? p.w : undefined;
    const Kfull = 3 + p.U + p.T - 1;

    const iid = estimate(baseInput(p, { type: 'iid' }, weighted));
    const s2 = ex.ssr / (n - Kfull);
    iid.coefficients.forEach((c, j) => {
      close(c.estimate, ex.beta[j], `iid b${j}`, 1e-9);
      close(c.se, Math.sqrt(s2 * ex.bread.get(j, j)), `iid se${j}`, 1e-9);
    });
    assert.equal(iid.df_k, Kfull);
    // analytic weights are rescaled to sum to n (as Stata): the weighted SSR is on that scale
    const scale = weighted ? n / p.w.reduce((a, b) => a + b, 0) : 1;
    close(iid.ssr, ex.ssr * scale, 'ssr', 1e-9);
    assert.equal(iid.nobs, n);
    if (weighted) close(iid.sum_weights as number, p.w.reduce((s, v) => s + v, 0), 'sum of weights', 1e-12);

    const hc = estimate(baseInput(p, { type: 'robust' }, weighted));
    const V0 = rawSandwich(ex, w);
    hc.coefficients.forEach((c, j) => close(c.se, Math.sqrt(V0.get(j, j) * (n / (n - Kfull))), `HC1 se${j}`, 1e-9));
    assert.equal(hc.df_t, n - Kfull);

    // cluster by unit: unit FE nested -> K = 3 + (T - 1) + 1
    const cu = estimate(baseInput(p, { type: 'cluster', clusters: [fe('unit', p.unit)] }, weighted));
    const Vu = rawSandwich(ex, w, [p.unit]);
    const Ku = 3 + p.T;
    assert.equal(cu.df_k, Ku);
    cu.coefficients.forEach((c, j) => close(c.se, Math.sqrt(Vu.get(j, j) * ((n - 1) / (n - Ku)) * (p.U / (p.U - 1))), `CR1 unit se${j}`, 1e-9));
    assert.equal(cu.df_t, p.U - 1);

    // cluster by state: units are nested in states too -> same K; G = S
    const cs = estimate(baseInput(p, { type: 'cluster', clusters: [fe('state', p.state)] }, weighted));
    const Vs = rawSandwich(ex, w, [p.state]);
    assert.equal(cs.df_k, Ku);
    cs.coefficients.forEach((c, j) => close(c.se, Math.sqrt(Vs.get(j, j) * ((n - 1) / (n - Ku)) * (p.S / (p.S - 1))), `CR1 state se${j}`, 1e-9));

    // cluster by year: unit FE not nested, year FE nested -> K = 3 + U + T - 1 - (T - 1)
    const cy = estimate(baseInput(p, { type: 'cluster', clusters: [fe('year', p.year)] }, weighted));
    assert.equal(cy.df_k, 3 + p.U);
    assert.deepEqual(cy.fixed_effects.map((f) => f.nested), [false, true]);

    // R2 against the exact fit
    const wt = (i: number) => (w ? w[i] : 1);
    let sw = 0, sy = 0;
    for (let i = 0; i < n; i++) { sw += wt(i); sy += wt(i) * p.y[i]; }
    let tss = 0;
    for (let i = 0; i < n; i++) tss += wt(i) * (p.y[i] - sy / sw) ** 2;
    close(iid.r2, 1 - ex.ssr / tss, 'r2', 1e-10);
    close(iid.adj_r2, 1 - (ex.ssr / tss) * ((n - 1) / (n - Kfull)), 'adj r2', 1e-10);
    close(iid.rmse, Math.sqrt((ex.ssr * scale) / n), 'rmse', 1e-10);
    // within R2: TSS of y after the FEs alone
    const fonly = exactOls([...dummyCols(p.unit, p.U), ...dummyCols(p.year, p.T, 0)], p.y, w);
    close(iid.r2_within!, 1 - ex.ssr / fonly.ssr, 'within r2', 1e-9);
  });
}

test('two-way clustering (unit and year) equals a direct Cameron-Gelbach-Miller computation', () => {
  const p = panel(11);
  const ex = exactTwfe(p, false);
  const n = p.n;
  const core = estimate(baseInput(p, { type: 'cluster', clusters: [fe('unit', p.unit), fe('year', p.year)] }, false));
  const V = rawSandwich(ex, undefined, [p.unit, p.year]);
  // both FE nested in a cluster variable: K = coefficients + 1
  const K = 3 + 1;
  const G = Math.min(p.U, p.T);
  assert.equal(core.df_k, K);
  assert.equal(core.df_t, G - 1);
  assert.deepEqual(core.n_clusters, [p.U, p.T]);
  const scale = ((n - 1) / (n - K)) * (G / (G - 1));
  core.coefficients.forEach((c, j) => close(c.se, Math.sqrt(V.get(j, j) * scale), `CGM se${j}`, 1e-9));
  // off-diagonal terms come out of the V1 + V2 - V12 cancellation: compare on the scale of the diagonal
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) close(core.vcov[a][b], V.get(a, b) * scale, `CGM V${a}${b}`, 0, 1e-9 * Math.sqrt(V.get(a, a) * V.get(b, b)) * scale);
});

test('two-way clustering by state and year with weights', () => {
  const p = panel(12);
  const ex = exactTwfe(p, true);
  const n = p.n;
  const core = estimate(baseInput(p, { type: 'cluster', clusters: [fe('state', p.state), fe('year', p.year)] }, true));
  const V = rawSandwich(ex, p.w, [p.state, p.year]);
  const K = 3 + 1;
  const G = Math.min(p.S, p.T);
  const scale = ((n - 1) / (n - K)) * (G / (G - 1));
  core.coefficients.forEach((c, j) => {
    // if CGM was not PSD the engine zeroes negative eigenvalues: then only the PSD part can match
    if (core.warnings.length === 0) close(c.se, Math.sqrt(V.get(j, j) * scale), `CGM se${j}`, 1e-9);
  });
  assert.equal(core.df_t, G - 1);
});

test('reg without FE: constant reported as _cons, counted in K', () => {
  const p = panel(5);
  const n = p.n;
  const ones = new Array(n).fill(1);
  const ex = exactOls([...p.x.map((v) => Array.from(v)), ones], p.y);
  const K = 4;
  for (const type of ['iid', 'robust'] as const) {
    const core = estimate({ depvar: { name: 'y', values: p.y }, regressors: p.x.map((v, j) => ({ name: `x${j + 1}`, values: v })), fixedEffects: [], constant: true, vcov: { type } });
    assert.deepEqual(core.coefficients.map((c) => c.term), ['x1', 'x2', 'x3', '_cons']);
    const V = type === 'iid' ? ex.bread.clone().mul(ex.ssr / (n - K)) : rawSandwich(ex).mul(n / (n - K));
    core.coefficients.forEach((c, j) => {
      close(c.estimate, ex.beta[j], `${type} b${j}`, 1e-10);
      close(c.se, Math.sqrt(V.get(j, j)), `${type} se${j}`, 1e-9);
    });
    assert.equal(core.df_k, K);
    assert.equal(core.df_resid, n - K);
    assert.equal(core.r2_within, null);
    assert.ok(core.f !== null && core.f > 0 && core.f_p !== null && core.f_p < 1e-6);
    assert.deepEqual(core.f_df, [3, n - K]);
  }
  const cl = estimate({ depvar: { name: 'y', values: p.y }, regressors: p.x.map((v, j) => ({ name: `x${j + 1}`, values: v })), fixedEffects: [], constant: true, vcov: { type: 'cluster', clusters: [fe('state', p.state)] } });
  const Vc = rawSandwich(ex, undefined, [p.state]).mul(((n - 1) / (n - K)) * (p.S / (p.S - 1)));
  cl.coefficients.forEach((c, j) => close(c.se, Math.sqrt(Vc.get(j, j)), `cluster se${j}`, 1e-9));
  // model F (Wald, with the model's VCOV) for reg with one slope is t^2
  const one = estimate({ depvar: { name: 'y', values: p.y }, regressors: [{ name: 'x1', values: p.x[0] }], fixedEffects: [], constant: true, vcov: { type: 'robust' } });
  close(one.f!, one.coefficients[0].t ** 2, 'F = t^2', 1e-10);
  close(one.f_p!, one.coefficients[0].p, 'F p = t p', 1e-8);
});

test('FE with constant: _cons = weighted mean of y - b\'mean(X), slopes unchanged', () => {
  const p = panel(9);
  const base = baseInput(p, { type: 'iid' }, true);
  const a = estimate(base);
  const b = estimate({ ...base, constant: true });
  assert.deepEqual(b.coefficients.map((c) => c.term), ['x1', 'x2', 'x3', '_cons']);
  for (let j = 0; j < 3; j++) {
    close(b.coefficients[j].estimate, a.coefficients[j].estimate, 'slope', 1e-12);
    close(b.coefficients[j].se, a.coefficients[j].se, 'slope se', 1e-12);
  }
  let sw = 0;
  const sx = [0, 0, 0];
  let sy = 0;
  for (let i = 0; i < p.n; i++) {
    sw += p.w[i];
    sy += p.w[i] * p.y[i];
    for (let j = 0; j < 3; j++) sx[j] += p.w[i] * p.x[j][i];
  }
  const cons = sy / sw - a.coefficients.reduce((s, c, j) => s + c.estimate * (sx[j] / sw), 0);
  close(b.coefficients[3].estimate, cons, '_cons', 1e-10);
  // iid: Var(_cons) = s2 / sum(w) + xbar' V_b xbar, with the weights rescaled to sum to n (as
  // Stata's aw, and as a.ssr is): s2 / n
  const s2 = a.ssr / (a.nobs - a.df_k);
  let v = s2 / a.nobs;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) v += (sx[i] / sw) * (sx[j] / sw) * a.vcov[i][j];
  close(b.coefficients[3].se, Math.sqrt(v), '_cons se', 1e-10);
  assert.equal(b.df_k, a.df_k);
});

test('regressors on scales 1e-6 and 1e9 keep their precision', () => {
  const p = panel(21);
  const small = p.x[0].map((v) => v * 1e-6);
  const big = p.x[1].map((v) => 1e9 * v + 3e9);
  const core = estimate({
    depvar: { name: 'y', values: p.y },
    regressors: [{ name: 'small', values: small }, { name: 'big', values: big }, { name: 'x3', values: p.x[2] }],
    fixedEffects: [fe('unit', p.unit), fe('year', p.year)],
    constant: false,
    vcov: { type: 'cluster', clusters: [fe('unit', p.unit)] },
    dropSingletons: false,
  });
  // the same model on unit scale, rescaled: estimates scale exactly, t statistics are invariant
  const ref = estimate({ ...baseInput(p, { type: 'cluster', clusters: [fe('unit', p.unit)] }, false) });
  close(core.coefficients[0].estimate, ref.coefficients[0].estimate * 1e6, 'small b', 1e-9);
  close(core.coefficients[1].estimate, ref.coefficients[1].estimate * 1e-9, 'big b', 1e-9);
  close(core.coefficients[0].se, ref.coefficients[0].se * 1e6, 'small se', 1e-9);
  close(core.coefficients[1].se, ref.coefficients[1].se * 1e-9, 'big se', 1e-9);
  for (let j = 0; j < 3; j++) close(core.coefficients[j].t, ref.coefficients[j].t, `t${j}`, 1e-9);
  const ex = exactTwfe(p, false);
  close(ref.coefficients[0].estimate, ex.beta[0], 'unit-scale exact', 1e-10);
  // and without FE, with a constant and a 1e9 offset (centring matters)
  const r1 = estimate({ depvar: { name: 'y', values: p.y }, regressors: [{ name: 'big', values: big }, { name: 'small', values: small }], fixedEffects: [], constant: true, vcov: { type: 'iid' } });
  const ex2 = exactOls([Array.from(p.x[1]), Array.from(p.x[0]), new Array(p.n).fill(1)], p.y);
  close(r1.coefficients[0].estimate, ex2.beta[0] * 1e-9, 'no-FE big b', 1e-9);
  close(r1.coefficients[1].estimate, ex2.beta[1] * 1e6, 'no-FE small b', 1e-9);
  close(r1.coefficients[2].estimate, ex2.beta[2] - ex2.beta[0] * 3, 'no-FE _cons', 1e-8);
});

test('three FE with an interaction (unit, year, state#year), weighted: estimates equal exact OLS', () => {
  const p = panel(31, 60, 10, 5);
  const sy = Int32Array.from(p.state, (s, i) => s * p.T + p.year[i]);
  const core = estimate({
    ...baseInput(p, { type: 'cluster', clusters: [fe('unit', p.unit)] }, true),
    fixedEffects: [fe('unit', p.unit), fe('year', p.year), fe('state#year', sy)],
  });
  const G = p.S * p.T;
  // state#year dummies span the year dummies, and within a state they sum to the sum of its unit
  // dummies: a full-rank exact design keeps unit dummies and state#year for years 1..T-1
  const syCols = dummyCols(sy, G).filter((_, g) => g % p.T !== 0);
  const ex = exactOls([...p.x.map((v) => Array.from(v)), ...dummyCols(p.unit, p.U), ...syCols], p.y, p.w);
  core.coefficients.forEach((c, j) => close(c.estimate, ex.beta[j], `b${j}`, 1e-9));
  close(core.ssr, (ex.ssr * p.n) / p.w.reduce((a, b) => a + b, 0), 'ssr (weights rescaled to sum to n)', 1e-9);
  // clustered K: unit nested (counts 1), year and state#year counted as fixest does (sizes - (#FE - 1))
  assert.equal(core.df_k, 3 + p.U + p.T + G - 2 - (p.U - 1));
  // SEs: CR1 on the exact fit with that K
  const V = rawSandwich(ex, p.w, [p.unit]);
  const n = p.n;
  const K = core.df_k;
  core.coefficients.forEach((c, j) => close(c.se, Math.sqrt(V.get(j, j) * ((n - 1) / (n - K)) * (p.U / (p.U - 1))), `se${j}`, 1e-9));
});
