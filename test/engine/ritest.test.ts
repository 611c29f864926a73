// Randomization inference: the permuted assignments refit with the plain estimator give the same draws,
// permutations respect clusters and strata, and the p-value's exact binomial interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import type { RegressionInput } from '../../server/src/engine/types';
import { clopperPearson, runRitest } from '../../server/src/engine/inference/ritest';
import { loadData, num, col, factor, codes } from '../util/refdata';
import { close } from './helpers';

function mpdtaModel(): { input: RegressionInput; county: Int32Array; year: Float64Array; state: Int32Array } {
  const t = loadData('mpdta');
  const treat = num(t, 'treat');
  const year = num(t, 'year');
  const ft = num(t, 'first_treat');
  const post = treat.map((v, i) => v * (year[i] >= ft[i] ? 1 : 0));
  const county = codes(t, 'countyreal');
  // pseudo-states: blocks of 10 counties (clusters), and two strata of states
  const cty = num(t, 'countyreal');
  const ids = [...new Set(cty)].sort((a, b) => a - b);
  const rank = new Map(ids.map((v, i) => [v, i]));
  const state = Int32Array.from(cty, (v) => Math.floor(rank.get(v)! / 10));
  return {
    input: {
      depvar: col(t, 'lemp'),
      regressors: [{ name: 'post', values: post }, col(t, 'lpop')],
      fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
      constant: false,
      vcov: { type: 'cluster', clusters: [factor(t, 'countyreal')] },
    },
    county,
    year,
    state,
  };
}

test('ritest: every draw equals refitting the permuted treatment with the plain estimator', () => {
  const { input, county, year } = mpdtaModel();
  const refits: number[] = [];
  const out = runRitest({
    model: input,
    treatment: 'post',
    groups: county,
    groupLabel: 'unit',
    time: year,
    reps: 15,
    seed: 3,
    onAssignment: (v) => {
      const core = estimate({ ...input, regressors: [{ name: 'post', values: Float64Array.from(v) }, input.regressors[1]] });
      refits.push(core.coefficients.find((c) => c.term === 'post')!.estimate);
    },
  });
  assert.equal(out.reps, 15);
  assert.equal(out.by_time, true);
  for (let d = 0; d < 15; d++) close(out.draws[d], refits[d], `draw ${d}`, 1e-9);
  const actual = estimate(input).coefficients[0].estimate;
  close(out.actual, actual, 'actual', 1e-12);
  const extreme = refits.filter((v) => Math.abs(v) >= Math.abs(actual)).length;
  assert.equal(out.p_value, extreme / 15);
  // same seed, same draws
  assert.deepEqual(runRitest({ model: input, treatment: 'post', groups: county, groupLabel: 'unit', time: year, reps: 15, seed: 3 }).draws, out.draws);
});

test('ritest: cluster() moves whole clusters, strata() keeps them within their stratum', () => {
  const { input, year, state } = mpdtaModel();
  // a treatment constant within states: half the states treated from 2006 on
  const treatState = (s: number) => (s % 3 === 0 ? 1 : 0);
  const d = Float64Array.from(state, (s, i) => treatState(s) * (year[i] >= 2006 ? 1 : 0));
  const model = { ...input, regressors: [{ name: 'd', values: d }] };
  const strata = Int32Array.from(state, (s) => (s < 25 ? 0 : 1));
  const pathKey = (v: Float64Array, s: number) => [2003, 2004, 2005, 2006, 2007].map((y) => v[state.findIndex((x, i) => x === s && year[i] === y)]).join('');
  const before = new Map<number, string[]>();
  for (const s of new Set(state)) {
    const k = strata[state.indexOf(s)];
    if (!before.has(k)) before.set(k, []);
    before.get(k)!.push(pathKey(d, s));
  }
  runRitest({
    model,
    treatment: 'd',
    groups: state,
    groupLabel: 'cluster',
    strata,
    time: year,
    reps: 5,
    seed: 9,
    onAssignment: (v) => {
      // constant within state-year, and each stratum keeps its multiset of state paths
      for (let i = 0; i < v.length; i++) {
        const j = state.findIndex((x, r) => x === state[i] && year[r] === year[i]);
        assert.equal(v[i], v[j]);
      }
      for (const [k, paths] of before) {
        const now = [...new Set(state)].filter((s) => strata[state.indexOf(s)] === k).map((s) => pathKey(v, s));
        assert.deepEqual(now.sort(), paths.slice().sort(), `stratum ${k}`);
      }
    },
  });
});

test('ritest: clear errors', () => {
  const { input, county, year } = mpdtaModel();
  assert.throws(() => runRitest({ model: input, treatment: 'post', groups: county, groupLabel: 'unit', reps: 5, seed: 1 }), /varies within a unit; xtset/);
  assert.throws(() => runRitest({ model: input, treatment: 'post', groups: county, groupLabel: 'unit', time: year, reps: 0, seed: 1 }), /reps\(0\) must be a positive/);
  assert.throws(() => runRitest({ model: input, treatment: 'nope', groups: county, groupLabel: 'unit', time: year, reps: 5, seed: 1 }), /nope is not a regressor/);
});

test('Clopper-Pearson interval: binomial tails of 2.5% at its ends', () => {
  const choose = (n: number, k: number) => { let c = 1; for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i; return c; };
  const cdf = (x: number, n: number, p: number) => { let s = 0; for (let k = 0; k <= x; k++) s += choose(n, k) * p ** k * (1 - p) ** (n - k); return s; };
  for (const [x, n] of [[5, 100], [1, 20], [37, 500]]) {
    const [lo, hi] = clopperPearson(x, n);
    close(1 - cdf(x - 1, n, lo), 0.025, `P(X >= ${x}) at the lower end`, 1e-9);
    close(cdf(x, n, hi), 0.025, `P(X <= ${x}) at the upper end`, 1e-9);
  }
  close(clopperPearson(5, 100)[1], 0.11283491, 'R binom.test(5, 100) upper', 1e-6);
  assert.deepEqual(clopperPearson(0, 10)[0], 0);
  assert.deepEqual(clopperPearson(10, 10)[1], 1);
});
