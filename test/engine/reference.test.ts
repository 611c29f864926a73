// Every OLS reference case of test/reference (fixest 0.12.2), to 1e-6 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import type { RegressionInput, NamedColumn } from '../../server/src/engine/types';
import { loadCase, loadData, num, col, factor, codes } from '../util/refdata';
import { interactCodes } from '../../server/src/engine/factors';
import { dropSingletons } from '../../server/src/engine/singletons';
import { checkAgainstFixest, close } from './helpers';
import { tTwoSidedP } from '../../server/src/engine/dist';

function mpdta() {
  const t = loadData('mpdta');
  const treat = num(t, 'treat');
  const year = num(t, 'year');
  const ft = num(t, 'first_treat');
  const post = treat.map((v, i) => v * (year[i] >= ft[i] ? 1 : 0));
  const rel = ft.map((g, i) => (g === 0 ? -1000 : year[i] - g));
  return { t, post, rel, year, ft };
}

function dummies(rel: Float64Array, prefix: string, refs: number[]): NamedColumn[] {
  const levels = [...new Set(rel)].filter((v) => !refs.includes(v)).sort((a, b) => a - b);
  return levels.map((k) => ({ name: `${prefix}::${k}`, values: rel.map((v) => (v === k ? 1 : 0)) }));
}

function input(p: Partial<RegressionInput> & Pick<RegressionInput, 'depvar' | 'regressors' | 'fixedEffects' | 'vcov'>): RegressionInput {
  return { constant: false, ...p };
}

test('mpdta_twfe_cluster', () => {
  const { t, post } = mpdta();
  const ref = loadCase('mpdta_twfe_cluster');
  const core = estimate(input({
    depvar: col(t, 'lemp'),
    regressors: [{ name: 'post', values: post }],
    fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
    vcov: { type: 'cluster', clusters: [factor(t, 'countyreal')] },
  }));
  checkAgainstFixest(core, ref.results);
  close(core.coefficients[0].estimate, ref.crosscheck.exact.post.estimate, 'exact estimate', 1e-10);
  close(core.coefficients[0].se, ref.crosscheck.exact.post.std_error, 'exact se', 1e-10);
  assert.deepEqual(core.fixed_effects.map((f) => f.nested), [true, false]);
  assert.equal(core.singletons_removed, 0);
  assert.equal(core.missing_removed, 0);
  assert.equal(core.converged, true);
});

test('mpdta_twfe_hetero', () => {
  const { t, post } = mpdta();
  const ref = loadCase('mpdta_twfe_hetero');
  const core = estimate(input({
    depvar: col(t, 'lemp'),
    regressors: [{ name: 'post', values: post }],
    fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
    vcov: { type: 'robust' },
  }));
  checkAgainstFixest(core, ref.results);
  const cc = loadCase('conventions_crosscheck').results.estimatr;
  close(core.coefficients[0].se, cc.hc1.std_error, 'estimatr HC1 se');
  assert.equal(core.df_t, cc.hc1.df);
});

test('mpdta_twfe_iid', () => {
  const { t, post } = mpdta();
  const ref = loadCase('mpdta_twfe_iid');
  const core = estimate(input({
    depvar: col(t, 'lemp'),
    regressors: [{ name: 'post', values: post }],
    fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
    vcov: { type: 'iid' },
  }));
  checkAgainstFixest(core, ref.results);
});

test('mpdta_twfe_lpop_cluster: lpop collinear with the county FE is omitted', () => {
  const { t, post } = mpdta();
  const ref = loadCase('mpdta_twfe_lpop_cluster');
  const core = estimate(input({
    depvar: col(t, 'lemp'),
    regressors: [{ name: 'post', values: post }, col(t, 'lpop')],
    fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
    vcov: { type: 'cluster', clusters: [factor(t, 'countyreal')] },
  }));
  checkAgainstFixest(core, ref.results);
  assert.deepEqual(core.omitted, [{ term: 'lpop', reason: 'collinear' }]);
});

test('mpdta_es_twfe: event-time dummies, refs -1 and -1000', () => {
  const { t, rel } = mpdta();
  const ref = loadCase('mpdta_es_twfe');
  const core = estimate(input({
    depvar: col(t, 'lemp'),
    regressors: dummies(rel, 'rel_time', [-1, -1000]),
    fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
    vcov: { type: 'cluster', clusters: [factor(t, 'countyreal')] },
  }));
  checkAgainstFixest(core, ref.results);
});

test('base_stagg_twfe', () => {
  const t = loadData('base_stagg');
  const year = num(t, 'year');
  const yt = num(t, 'year_treated');
  const ref = loadCase('base_stagg_twfe');
  const core = estimate(input({
    depvar: col(t, 'y'),
    regressors: [col(t, 'x1'), { name: 'treat_post', values: year.map((v, i) => (v >= yt[i] ? 1 : 0)) }],
    fixedEffects: [factor(t, 'id'), factor(t, 'year')],
    vcov: { type: 'cluster', clusters: [factor(t, 'id')] },
  }));
  checkAgainstFixest(core, ref.results);
  for (const name of ['x1', 'treat_post']) {
    const c = core.coefficients.find((r) => r.term === name)!;
    close(c.estimate, ref.crosscheck.exact[name].estimate, `${name} exact`, 1e-10);
    close(c.se, ref.crosscheck.exact[name].std_error, `${name} exact se`, 1e-10);
  }
});

test('base_stagg_es_twfe', () => {
  const t = loadData('base_stagg');
  const ref = loadCase('base_stagg_es_twfe');
  const core = estimate(input({
    depvar: col(t, 'y'),
    regressors: [col(t, 'x1'), ...dummies(num(t, 'time_to_treatment'), 'time_to_treatment', [-1, -1000])],
    fixedEffects: [factor(t, 'id'), factor(t, 'year')],
    vcov: { type: 'cluster', clusters: [factor(t, 'id')] },
  }));
  checkAgainstFixest(core, ref.results);
});

test('crime_3fe_regionyear: county + year + region#year', () => {
  const t = loadData('crime_nc');
  const ref = loadCase('crime_3fe_regionyear');
  const core = estimate(input({
    depvar: col(t, 'lcrmrte'),
    regressors: ['lprbarr', 'lprbconv', 'lprbpris', 'lavgsen', 'lpolpc'].map((v) => col(t, v)),
    fixedEffects: [factor(t, 'county'), factor(t, 'year'), { name: 'region^year', codes: interactCodes(codes(t, 'region'), codes(t, 'year')) }],
    vcov: { type: 'cluster', clusters: [factor(t, 'county')] },
  }));
  checkAgainstFixest(core, ref.results);
  for (const c of core.coefficients) {
    close(c.estimate, ref.crosscheck.exact[c.term].estimate, `${c.term} exact`, 1e-9);
    close(c.se, ref.crosscheck.exact[c.term].std_error, `${c.term} exact se`, 1e-9);
  }
  assert.deepEqual(core.fixed_effects.map((f) => f.nested), [true, false, false]);
});

test('trade_3fe: three FE, compared with the exact dummy-variable values', () => {
  const t = loadData('trade');
  const ref = loadCase('trade_3fe');
  const core = estimate(input({
    depvar: { name: 'log(Euros)', values: num(t, 'Euros').map(Math.log) },
    regressors: [{ name: 'log(dist_km)', values: num(t, 'dist_km').map(Math.log) }],
    fixedEffects: [factor(t, 'Origin'), factor(t, 'Destination'), factor(t, 'Product')],
    vcov: { type: 'cluster', clusters: [factor(t, 'Origin')] },
  }));
  checkAgainstFixest(core, ref.results, { pAbsolute: true });
  const c = core.coefficients[0];
  const ex = ref.crosscheck.exact['log(dist_km)'];
  // p from the exact estimate and SE (fixest's p carries its 1.3e-7 SE error, amplified ~14x in the tail)
  close(c.p, tTwoSidedP(ex.estimate / ex.std_error, ref.results.df_t), 'p from exact t', 1e-7, 0);
  close(c.p, ref.results.coefficients['log(dist_km)'].p_value, 'fixest p', 3e-6, 0);
  close(c.estimate, ex.estimate, 'exact estimate', 1e-10);
  // fixest's own SE is 1.3e-7 off the exact one (its demeaning tolerance); ours must be far closer
  close(c.se, ex.std_error, 'exact se', 1e-9);
});

function mpSingletons() {
  const { t, post } = mpdta();
  const year = num(t, 'year');
  const cty = num(t, 'countyreal');
  const n = t.nrows;
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = 1;
  for (let i = 0; i < n; i++) if (year[i] === 2007 && cty[i] !== 8001) keep[i] = 0;
  for (let i = 0; i < n; i++) if (cty[i] === 8001 && [2004, 2005, 2006].includes(year[i])) keep[i] = 0;
  const ids = [...new Set(Array.from(cty).filter((_, i) => keep[i]))].sort((a, b) => a - b);
  const sing = new Set<number>();
  for (let j = 4; j < ids.length; j += 25) sing.add(ids[j]);
  for (let i = 0; i < n; i++) if (sing.has(cty[i]) && year[i] !== 2005) keep[i] = 0;
  return { t, post, keep };
}

test('mpdta_singletons: iterative removal as reghdfe', () => {
  const { t, post, keep } = mpSingletons();
  const ref = loadCase('mpdta_singletons');
  let kept = 0;
  keep.forEach((v) => (kept += v));
  assert.equal(kept, ref.n_rows_input);
  const base: RegressionInput = input({
    depvar: col(t, 'lemp'),
    regressors: [{ name: 'post', values: post }],
    fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')],
    vcov: { type: 'cluster', clusters: [factor(t, 'countyreal')] },
    sample: keep,
  });
  const it = estimate(base);
  assert.equal(it.singletons_removed, ref.result_iterative_removal.n_removed);
  checkAgainstFixest(it, ref.result_iterative_removal);

  // no removal = fixest's default
  const none = estimate({ ...base, dropSingletons: false });
  checkAgainstFixest(none, ref.result_default_no_removal);
  assert.equal(none.singletons_removed, 0);

  // one pass = fixest's fixef.rm = "singleton"
  const rows = Int32Array.from(Array.from(keep.keys()).filter((i) => keep[i]));
  const one = dropSingletons(rows, [codes(t, 'countyreal'), codes(t, 'year')], false);
  assert.equal(one.removed, ref.results.nobs_removed);
  const mask = new Uint8Array(t.nrows);
  one.rows.forEach((r) => (mask[r] = 1));
  const onePass = estimate({ ...base, sample: mask, dropSingletons: false });
  checkAgainstFixest(onePass, ref.results);
  const two = dropSingletons(rows, [codes(t, 'countyreal'), codes(t, 'year')], true);
  assert.equal(two.rounds, ref.result_iterative_removal.rounds);
});

test('conventions_crosscheck: fixest default cluster and hetero SEs', () => {
  const { t, post } = mpdta();
  const cc = loadCase('conventions_crosscheck').results;
  const mk = (vcov: RegressionInput['vcov']) =>
    estimate(input({ depvar: col(t, 'lemp'), regressors: [{ name: 'post', values: post }], fixedEffects: [factor(t, 'countyreal'), factor(t, 'year')], vcov }));
  const cl = mk({ type: 'cluster', clusters: [factor(t, 'countyreal')] });
  close(cl.coefficients[0].se, cc.estimatr.fixest_default_cluster.std_error, 'cluster se');
  close(cl.coefficients[0].se, cc.plm.fixest_se_default, 'plm-side fixest se');
  assert.equal(cl.df_t, cc.estimatr.fixest_default_cluster.df_t);
  const hc = mk({ type: 'robust' });
  close(hc.coefficients[0].se, cc.estimatr.fixest_hetero.std_error, 'hetero se');
  assert.equal(hc.df_t, cc.estimatr.fixest_hetero.df_t);
});
