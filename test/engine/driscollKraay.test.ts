// Driscoll-Kraay standard errors against fixest's DK(2) (mpdta_dk) and a direct computation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import type { Factor } from '../../server/src/engine/types';
import { bartlettWeights, driscollKraayMeat } from '../../server/src/engine/inference/driscollKraay';
import { loadCase, loadData, num, col, factor } from '../util/refdata';
import { checkAgainstFixest, close } from './helpers';

/** Codes = rank of the value among the distinct values (the runtime's time coding for Driscoll-Kraay). */
function rankFactor(name: string, v: Float64Array): Factor {
  const levels = [...new Set(Array.from(v).filter((x) => !Number.isNaN(x)))].sort((a, b) => a - b);
  const at = new Map(levels.map((x, i) => [x, i]));
  return { name, codes: Int32Array.from(v, (x) => (Number.isNaN(x) ? -1 : at.get(x)!)), nlevels: levels.length };
}

function mpdtaPost() {
  const t = loadData('mpdta');
  const treat = num(t, 'treat');
  const year = num(t, 'year');
  const ft = num(t, 'first_treat');
  return { t, year, post: treat.map((v, i) => v * (year[i] >= ft[i] ? 1 : 0)) };
}

test('mpdta_dk: fixest DK(2) ~ year, estimate, SE, t, p, CI, df, K', () => {
  const { t, year, post } = mpdtaPost();
  const ref = loadCase('mpdta_dk');
  const core = estimate({
    depvar: col(t, 'lemp'),
    regressors: [{ name: 'post', values: post }],
    fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
    constant: false,
    vcov: { type: 'dkraay', time: rankFactor('year', year), lags: 2 },
  });
  const r = ref.results;
  checkAgainstFixest(core, r, { skipVcov: true });
  close(core.vcov[0][0], r.vcov[0][0], 'vcov', 1e-9);
  close(core.vcov_scale as number, r.vcov_scale_factor, 'scale factor', 1e-12);
  close(core.coefficients[0].se, ref.crosscheck.exact.post.std_error, 'exact se', 1e-9);
  assert.deepEqual(core.dkraay, { lags: 2, time: 'year', periods: 5 });
  assert.deepEqual(Array.from(bartlettWeights(2)), r.driscoll_kraay.kernel_weights);
});

test('Driscoll-Kraay meat equals the explicit double sum over periods', () => {
  // 4 periods, 2 score columns: Omega = sum_{s,t} w(|s-t|) S_s S_t'
  const T = 4, k = 2, L = 2;
  const S = Float64Array.from([1, 2, -3, 0.5, 2, -1, 0.25, 4]);
  const w = (d: number) => (d > L ? 0 : 1 - d / (L + 1));
  const m = driscollKraayMeat(S, T, k, L);
  for (let p = 0; p < k; p++)
    for (let q = 0; q < k; q++) {
      let e = 0;
      for (let s = 0; s < T; s++) for (let u = 0; u < T; u++) e += w(Math.abs(s - u)) * S[s * k + p] * S[u * k + q];
      close(m[p * k + q], e, `meat[${p}][${q}]`, 1e-14);
    }
  assert.throws(() => driscollKraayMeat(S, T, k, 4), /outside 0..3/);
});

test('Driscoll-Kraay: a lag of at least the number of periods is an estimation error', () => {
  const { t, year, post } = mpdtaPost();
  assert.throws(
    () => estimate({ depvar: col(t, 'lemp'), regressors: [{ name: 'post', values: post }], fixedEffects: [factor(t, 'countyreal')], constant: false, vcov: { type: 'dkraay', time: rankFactor('year', year), lags: 5 } }),
    /lag 5 must be a whole number from 0 to 4 \(the sample has 5 periods of year\)/,
  );
});
