// Wild cluster bootstrap: fwildclusterboot's results on the trade gravity model (trade_wcb_enum), and the
// fast cluster-sum algorithm against refitting the model on each bootstrap sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareModel } from '../../server/src/engine/model';
import { estimate } from '../../server/src/engine/estimate';
import type { RegressionInput } from '../../server/src/engine/types';
import { wildClusterSums } from '../../server/src/engine/inference/wildProblem';
import { bootTStats, termFactors, wildClusterBootstrap } from '../../server/src/engine/inference/wildBootstrap';
import { Rng } from '../../server/src/engine/study/rng';
import { loadCase, loadData, num, factor } from '../util/refdata';
import { close } from './helpers';

function tradeInput(): RegressionInput {
  const t = loadData('trade');
  return {
    depvar: { name: 'log(Euros)', values: num(t, 'Euros').map(Math.log) },
    regressors: [{ name: 'log(dist_km)', values: num(t, 'dist_km').map(Math.log) }],
    fixedEffects: [factor(t, 'Destination'), factor(t, 'Product'), factor(t, 'Year')],
    constant: false,
    vcov: { type: 'cluster', clusters: [factor(t, 'Origin')] },
  };
}

function tradeSums() {
  const m = prepareModel(tradeInput());
  return wildClusterSums(m, 'log(dist_km)', { clusters: [m.clusterFactors[0]] });
}

test('trade_wcb_enum: WCR and WCU under full enumeration (2^15) match fwildclusterboot', () => {
  const ref = loadCase('trade_wcb_enum').results;
  const s = tradeSums();
  assert.equal(s.G, 15);
  close(termFactors(s)[0], ref.boottest_ssc.factor * ((s.n - 1) / (s.n - 1)), 'small-sample factor', 1e-12);
  for (const [key, nullImposed] of [['wcr_enum_impose_null', true], ['wcu_enum_no_null', false]] as const) {
    const r = ref[key];
    const out = wildClusterBootstrap(s, { reps: 40000, weightType: 'rademacher', seed: 1, nullImposed, level: 0.95 });
    assert.equal(out.enumerated, true);
    assert.equal(out.reps, r.B_used);
    close(out.estimate, r.point_estimate, `${key} estimate`);
    close(out.t, r.t_stat, `${key} t`);
    assert.equal(out.pValue, r.p_val, `${key} p`);
    // fwildclusterboot's own inversion (grid + uniroot) reproduced: the same bounds to rounding
    close(out.ciLow!, r.conf_int[0], `${key} ci_low`, 1e-9);
    close(out.ciHigh!, r.conf_int[1], `${key} ci_high`, 1e-9);
    // the exact crossings lie within uniroot's tolerance of them
    assert.ok(Math.abs(out.ciExactLow! - r.conf_int[0]) < 1e-5 && Math.abs(out.ciExactHigh! - r.conf_int[1]) < 1e-5, `${key} exact bounds near`);
  }
});

test('trade_wcb_enum: the exact bounds are where the p-value crosses 0.05', () => {
  const s = tradeSums();
  const out = wildClusterBootstrap(s, { reps: 40000, weightType: 'rademacher', seed: 1, nullImposed: true, level: 0.95 });
  const pAt = (r: number) => wildClusterBootstrap(s, { reps: 40000, weightType: 'rademacher', seed: 1, nullImposed: true, level: 0.95, r }).pValue;
  const h = 1e-9;
  assert.ok(pAt(out.ciExactLow! + h) >= 0.05 && pAt(out.ciExactLow! - h) < 0.05, 'lower crossing');
  assert.ok(pAt(out.ciExactHigh! - h) >= 0.05 && pAt(out.ciExactHigh! + h) < 0.05, 'upper crossing');
});

test('trade_wcb_enum: enumeration does not depend on the seed', () => {
  const s = tradeSums();
  const a = wildClusterBootstrap(s, { reps: 32768, weightType: 'rademacher', seed: 1, nullImposed: true, level: 0.95 });
  const b = wildClusterBootstrap(s, { reps: 99999, weightType: 'rademacher', seed: 12345, nullImposed: true, level: 0.95 });
  assert.equal(a.enumerated, true);
  assert.deepEqual(b, a);
  // one draw fewer than 2^15: random draws, no longer enumerated
  const c = wildClusterBootstrap(s, { reps: 32767, weightType: 'rademacher', seed: 1, nullImposed: true, level: 0.95 });
  assert.equal(c.enumerated, false);
  assert.equal(c.reps, 32767);
});

test('trade_wcb_enum: Webb weights, B = 9999, agree with fwildclusterboot within Monte-Carlo error', () => {
  const r = loadCase('trade_wcb_enum').results.webb_random_impose_null;
  const s = tradeSums();
  for (const seed of [1, 2, 3]) {
    const out = wildClusterBootstrap(s, { reps: 9999, weightType: 'webb', seed, nullImposed: true, level: 0.95 });
    assert.equal(out.enumerated, false);
    close(out.t, r.t_stat, 't');
    const sd = Math.sqrt((r.p_val * (1 - r.p_val)) / 9999);
    assert.ok(Math.abs(out.pValue - r.p_val) < 4 * sd, `seed ${seed}: p ${out.pValue} vs ${r.p_val} (sd ${sd})`);
    // the bounds move with the bootstrap quantile: a few hundredths at B = 9999
    assert.ok(Math.abs(out.ciLow! - r.conf_int[0]) < 0.05 && Math.abs(out.ciHigh! - r.conf_int[1]) < 0.05, `seed ${seed}: ci ${out.ciLow} ${out.ciHigh}`);
  }
});

/** A small panel: 12 units x 6 periods, 6 clusters of 2 units, a tested x, a control z, weights. */
function smallPanel() {
  const rng = new Rng(7);
  const n = 72;
  const unit = new Int32Array(n);
  const time = new Int32Array(n);
  const grp = new Int32Array(n);
  const x = new Float64Array(n);
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    unit[i] = Math.floor(i / 6);
    time[i] = i % 6;
    grp[i] = Math.floor(unit[i] / 2);
    x[i] = rng.normal() + 0.3 * time[i];
    z[i] = rng.normal() + 0.2 * unit[i];
    w[i] = 0.5 + rng.uniform();
    y[i] = 0.4 * x[i] - 0.7 * z[i] + 0.1 * unit[i] + 0.2 * time[i] + rng.normal();
  }
  return { n, unit, time, grp, x, z, y, w };
}

/** Refits the model on y* = y + u (v_g - 1) and returns boottest's t* (its small-sample factor). */
function refitT(base: RegressionInput, y: Float64Array, u: Float64Array, v: Float64Array, grp: Int32Array, r: number, c: number): number {
  const ys = y.map((yi, i) => yi + u[i] * (v[grp[i]] - 1));
  const core = estimate({ ...base, depvar: { name: 'y', values: ys } });
  const co = core.coefficients.find((cf) => cf.term === 'x')!;
  const se = co.se * Math.sqrt(c / (core.vcov_scale as number));
  return (co.estimate - r) / se;
}

for (const variant of ['two-way FE', 'two-way FE, weights', 'unit FE (nested in the clusters)', 'constant only'] as const) {
  test(`fast wild bootstrap equals refitting the model on each draw (${variant})`, () => {
    const P = smallPanel();
    const fes =
      variant === 'constant only' ? [] : variant === 'unit FE (nested in the clusters)' ? [{ name: 'unit', codes: P.unit }] : [{ name: 'unit', codes: P.unit }, { name: 'time', codes: P.time }];
    const base: RegressionInput = {
      depvar: { name: 'y', values: P.y },
      regressors: [{ name: 'x', values: P.x }, { name: 'z', values: P.z }],
      fixedEffects: fes,
      constant: variant === 'constant only',
      vcov: { type: 'cluster', clusters: [{ name: 'grp', codes: P.grp }] },
      dropSingletons: false,
      ...(variant === 'two-way FE, weights' ? { weights: P.w } : {}),
    };
    const m = prepareModel(base);
    const s = wildClusterSums(m, 'x', { clusters: [m.clusterFactors[0]] });
    const c = termFactors(s)[0];
    const fit = estimate(base);
    const beta = fit.coefficients.find((cf) => cf.term === 'x')!.estimate;
    const rng = new Rng(11);
    const B = 6;
    const V = new Float64Array(B * s.G);
    for (let i = 0; i < V.length; i++) V[i] = rng.normal();
    for (const [nullImposed, r] of [[true, 0], [true, 0.25], [false, 0]] as const) {
      const fast = bootTStats(s, V, nullImposed, r);
      // residuals of the restricted model (y - r x on the rest) or of the full model
      const restricted = nullImposed
        ? estimate({ ...base, depvar: { name: 'y', values: P.y.map((yi, i) => yi - r * P.x[i]) }, regressors: [base.regressors[1]] })
        : fit;
      const u = new Float64Array(P.n);
      restricted.sampleRows.forEach((row, j) => (u[row] = restricted.residuals![j]));
      for (let b = 0; b < B; b++) {
        const slow = refitT(base, P.y, u, V.subarray(b * s.G, (b + 1) * s.G), P.grp, nullImposed ? r : beta, c);
        close(fast[b], slow, `${variant} null=${nullImposed} r=${r} draw ${b}`, 1e-10);
      }
    }
  });
}
