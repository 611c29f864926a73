import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateIV } from '../../server/src/engine/iv/estimateIV';
import { readCase, readCsv, rel } from './helpers';

const ref = readCase('crime_iv_fe_2endo');
const d = readCsv('test/reference/data/crime_nc.csv');
const exog = ['lprbconv', 'lprbpris', 'lavgsen', 'ldensity', 'lwcon', 'lwtuc', 'lwtrd', 'lwfir', 'lwser', 'lwmfg', 'lwfed', 'lwsta', 'lwloc', 'lpctymle'];

function fit(type: 'cluster' | 'iid' | 'robust' = 'cluster', endog = ['lprbarr', 'lpolpc'], inst = ['ltaxpc', 'lmix']) {
  return estimateIV({
    depvar: d.num('lcrmrte'),
    regressors: exog.map((v) => d.num(v)),
    endogenous: endog.map((v) => d.num(v)),
    instruments: inst.map((v) => d.num(v)),
    fixedEffects: [d.factor('county'), d.factor('year')],
    constant: false,
    vcov: type === 'cluster' ? { type, clusters: [d.factor('county')] } : { type },
  });
}

test('IV crime: second stage matches fixest', () => {
  const r = fit();
  const R = ref.results;
  for (const row of r.coefficients) {
    const key = row.term === 'lprbarr' || row.term === 'lpolpc' ? `fit_${row.term}` : row.term;
    const c = R.coefficients[key];
    assert.ok(rel(row.estimate, c.estimate) < 1e-6, `${row.term} estimate ${row.estimate} vs ${c.estimate}`);
    assert.ok(rel(row.se, c.std_error) < 1e-6, `${row.term} se ${row.se} vs ${c.std_error}`);
    assert.ok(rel(row.p, c.p_value) < 1e-6, `${row.term} p`);
    assert.ok(rel(row.ci_low, c.ci_low) < 1e-6, `${row.term} ci`);
  }
  assert.deepEqual(r.coefficients.map((c) => c.term), R.coef_order.map((s: string) => s.replace(/^fit_/, '')));
  assert.equal(r.nobs, R.nobs);
  assert.equal(r.df_t, R.df_t);
  assert.equal(r.df_k, R.df_K);
  assert.equal(r.df_resid, R.df_resid);
  for (const [k, v] of [['r2', 'r2'], ['adj_r2', 'adj_r2'], ['r2_within', 'within_r2'], ['adj_r2_within', 'adj_within_r2'], ['rmse', 'rmse'], ['sigma', 'sigma'], ['ssr', 'ssr']] as const)
    assert.ok(rel(r[k] as number, R[v]) < 1e-6, `${k} ${r[k]} vs ${R[v]}`);
});

test('IV crime: first stages, ivf, ivwald, cd and fixest kpr', () => {
  const r = fit() as any;
  const R = ref.results;
  for (const fs of r.first_stage) {
    const rf = R.first_stages[fs.endog];
    assert.deepEqual(fs.coefficients.map((c: any) => c.term), rf.coef_order);
    for (const c of fs.coefficients) {
      const x = rf.coefficients[c.term];
      assert.ok(rel(c.estimate, x.estimate) < 1e-6, `${fs.endog}/${c.term}`);
      assert.ok(rel(c.se, x.std_error) < 1e-6, `${fs.endog}/${c.term} se`);
      assert.ok(rel(c.p, x.p_value) < 1e-6, `${fs.endog}/${c.term} p`);
    }
    const ivf = R.iv_fitstat[`ivf1::${fs.endog}`];
    assert.ok(rel(fs.f, ivf.stat) < 1e-6, `ivf ${fs.endog} ${fs.f} vs ${ivf.stat}`);
    assert.ok(rel(fs.f_p, ivf.p) < 1e-6);
    assert.deepEqual(fs.f_df, [ivf.df1, ivf.df2]);
    const ivw = R.iv_fitstat[`ivwald1::${fs.endog}`];
    assert.ok(rel(fs.wald_f, ivw.stat) < 1e-6, `ivwald ${fs.endog} ${fs.wald_f} vs ${ivw.stat}`);
    assert.ok(rel(fs.wald_p, ivw.p) < 1e-6);
  }
  assert.ok(rel(r.fixest.cd, R.iv_fitstat.cd) < 1e-6, `cd ${r.fixest.cd} vs ${R.iv_fitstat.cd}`);
  const kw = R.iv_fitstat.kpr_workaround;
  assert.ok(rel(r.fixest.kpr.stat, kw.stat) < 1e-6, `kpr ${r.fixest.kpr.stat} vs ${kw.stat}`);
  assert.ok(rel(r.fixest.kpr.p, kw.p) < 1e-6);
  assert.equal(r.fixest.kpr.df, kw.df);
});


// How the anchors' weak-identification statistics relate. ivreghdfe turns ranktest's rk Wald
// statistic into  F = rk/(N-1)·(N-K)·(G-1)/G / L  (clustered; rk/N·(N-K)/L otherwise), with
// N - K the first-stage residual df. fixest's kp_stat reports rk'/L where its own vhat already
// carries N/(N-K)·G/(G-1), but it takes row K of V instead of column K; with the column fixed the
// two agree as  F_ivreghdfe = stat_fixest · N/(N-1).  With one endogenous variable and one
// instrument the rk Wald statistic is the squared CR0 first-stage t, so F_ivreghdfe equals
// fixest's first-stage `ivwald` (CR1), and with iid errors it is the Cragg-Donald F.
test('IV: KP rk Wald F relates to fixest kpr and ivwald as documented', () => {
  const r = fit() as any;
  const n = r.nobs;
  assert.ok(rel(r.kp_rk_wald_f, r.fixest.kpr_column.stat * n / (n - 1)) < 1e-10, `${r.kp_rk_wald_f} vs ${r.fixest.kpr_column.stat}`);
  assert.equal(r.kp_rk_lm.df, 1);
  assert.ok(r.kp_rk_lm.stat > 0 && r.kp_rk_lm.p > 0 && r.kp_rk_lm.p < 1);
  // ivreg2's Cragg-Donald F uses the first-stage residual df; fixest's `cd` uses N-K-L-1
  assert.ok(rel(r.cragg_donald_f_ivreg2, r.fixest.cd * r.df_resid / (n - 2 - 2 - 1)) < 1e-10);
  assert.ok(rel(r.cragg_donald_f, r.fixest.cd) < 1e-12);
  assert.equal(r.stock_yogo.size10, 7.03);
  assert.ok(r.warnings.some((w: string) => /weak instruments/.test(w)), 'weak-instrument warning');

  const one = fit('cluster', ['lprbarr'], ['lmix']) as any;
  assert.ok(rel(one.kp_rk_wald_f, one.first_stage[0].wald_f) < 1e-9, `${one.kp_rk_wald_f} vs ${one.first_stage[0].wald_f}`);
  assert.deepEqual(one.stock_yogo, { size10: 16.38, size15: 8.96, size20: 6.66, size25: 5.53 });
  const rob = fit('robust', ['lprbarr'], ['lmix']) as any;
  assert.ok(rel(rob.kp_rk_wald_f, rob.first_stage[0].wald_f) < 1e-9);
  const iid = fit('iid', ['lprbarr'], ['lmix']) as any;
  assert.ok(rel(iid.kp_rk_wald_f, iid.cragg_donald_f_ivreg2) < 1e-12);
  assert.ok(rel(iid.cragg_donald_f_ivreg2, iid.first_stage[0].f) < 1e-9, `${iid.cragg_donald_f_ivreg2} vs ${iid.first_stage[0].f}`);
  // iid LM is Anderson's N·ρ² and the Wald N·ρ²/(1-ρ²): LM = N·W/(N+W)
  const wld = iid.kp_rk_wald.stat;
  assert.ok(rel(iid.kp_rk_lm.stat, (n * wld) / (n + wld)) < 1e-9);
});

test('IV: an instrument unrelated to the endogenous variable warns, never crashes', () => {
  // a deterministic pseudo-random instrument
  const z = new Float64Array(d.n);
  let s = 7;
  for (let i = 0; i < d.n; i++) { s = (s * 16807) % 2147483647; z[i] = s / 2147483647; }
  const r = estimateIV({
    depvar: d.num('lcrmrte'), regressors: [d.num('ldensity')], endogenous: [d.num('lprbarr')],
    instruments: [{ name: 'noise', values: z }], fixedEffects: [d.factor('county'), d.factor('year')],
    constant: false, vcov: { type: 'cluster', clusters: [d.factor('county')] },
  }) as any;
  assert.ok(r.kp_rk_wald_f < 10);
  assert.ok(r.warnings.some((w: string) => /weak instruments/.test(w)));
  assert.ok(Number.isFinite(r.coefficients[0].estimate));
});

test('IV: bad input gives clear errors', () => {
  assert.throws(() => fit('cluster', ['lprbarr', 'lpolpc'], ['lmix']), /not identified: 1 excluded instrument\(s\) for 2/);
  const constZ = { name: 'c', values: new Float64Array(d.n).fill(3) };
  assert.throws(
    () => estimateIV({ depvar: d.num('lcrmrte'), regressors: [], endogenous: [d.num('lprbarr')], instruments: [constZ],
      fixedEffects: [d.factor('county')], constant: false, vcov: { type: 'iid' } }),
    /not identified: 0 usable/,
  );
});

test('IV without fixed effects reports _cons and matches the just-identified closed form', () => {
  // y = a + b x, x instrumented by z: b = cov(z,y)/cov(z,x)
  const y = d.num('lcrmrte'), x = d.num('lprbarr'), z = d.num('lmix');
  const r = estimateIV({ depvar: y, regressors: [], endogenous: [x], instruments: [z], fixedEffects: [], constant: true, vcov: { type: 'iid' } });
  const m = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
  const cov = (a: Float64Array, b: Float64Array) => { const ma = m(a), mb = m(b); let s = 0; for (let i = 0; i < a.length; i++) s += (a[i] - ma) * (b[i] - mb); return s; };
  const b = cov(z.values, y.values) / cov(z.values, x.values);
  assert.ok(rel(r.coefficients[0].estimate, b) < 1e-10);
  assert.equal(r.coefficients[1].term, '_cons');
  assert.ok(rel(r.coefficients[1].estimate, m(y.values) - b * m(x.values)) < 1e-10);
});

test('IV with analytic weights: constant weights change nothing; integer weights equal duplicated rows', () => {
  const base = fit('cluster');
  const two = estimateIV({
    depvar: d.num('lcrmrte'), regressors: exog.map((v) => d.num(v)), endogenous: [d.num('lprbarr'), d.num('lpolpc')],
    instruments: [d.num('ltaxpc'), d.num('lmix')], fixedEffects: [d.factor('county'), d.factor('year')], constant: false,
    vcov: { type: 'cluster', clusters: [d.factor('county')] }, weights: new Float64Array(d.n).fill(2),
  });
  base.coefficients.forEach((c, j) => {
    assert.ok(rel(two.coefficients[j].estimate, c.estimate) < 1e-9);
    assert.ok(rel(two.coefficients[j].se, c.se) < 1e-9);
  });
  // weights 1/2 by row parity vs the same rows duplicated: same coefficients
  const w = Float64Array.from({ length: d.n }, (_, i) => 1 + (i % 2));
  const wfit = estimateIV({
    depvar: d.num('lcrmrte'), regressors: [d.num('ldensity')], endogenous: [d.num('lprbarr')], instruments: [d.num('lmix')],
    fixedEffects: [d.factor('county')], constant: false, vcov: { type: 'iid' }, weights: w,
  });
  const dup = (c: { name: string; values: Float64Array }) => ({ name: c.name, values: Float64Array.from([...c.values, ...c.values.filter((_, i) => i % 2 === 1)]) });
  const cty = d.factor('county');
  const cdup = { name: 'county', codes: Int32Array.from([...cty.codes, ...cty.codes.filter((_, i) => i % 2 === 1)]) };
  const dfit = estimateIV({
    depvar: dup(d.num('lcrmrte')), regressors: [dup(d.num('ldensity'))], endogenous: [dup(d.num('lprbarr'))], instruments: [dup(d.num('lmix'))],
    fixedEffects: [cdup], constant: false, vcov: { type: 'iid' }, dropSingletons: false,
  });
  wfit.coefficients.forEach((c, j) => assert.ok(rel(c.estimate, dfit.coefficients[j].estimate) < 1e-8, `${c.term}`));
});

test('IV with two-way clustering runs and reports both cluster counts', () => {
  const r = estimateIV({
    depvar: d.num('lcrmrte'), regressors: exog.map((v) => d.num(v)), endogenous: [d.num('lprbarr')], instruments: [d.num('lmix'), d.num('ltaxpc')],
    fixedEffects: [d.factor('county'), d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [d.factor('county'), d.factor('year')] },
  }) as any;
  assert.deepEqual(r.n_clusters, [90, 7]);
  assert.equal(r.df_t, 6);
  assert.ok(r.coefficients.every((c: any) => Number.isFinite(c.se) && c.se > 0));
  assert.ok(Number.isFinite(r.kp_rk_wald_f) && Number.isFinite(r.kp_rk_lm.stat));
  assert.equal(r.kp_rk_lm.df, 2);
});

test('IV: KP rk LM with one endogenous variable and one instrument, clustered, matches its closed form', () => {
  // With FE partialled (balanced county x year panel: x - unit mean - year mean + grand mean),
  // K = L = 1 and e = x (LM version): rk = (z'x)^2 / sum_g (sum_{i in g} z_i x_i)^2.
  const r = estimateIV({
    depvar: d.num('lcrmrte'), regressors: [], endogenous: [d.num('lprbarr')], instruments: [d.num('lmix')],
    fixedEffects: [d.factor('county'), d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [d.factor('county')] },
  }) as any;
  const cty = d.factor('county').codes, yr = d.factor('year').codes;
  const twoWay = (v: Float64Array) => {
    const mu = new Float64Array(90), mt = new Float64Array(7), nu = new Float64Array(90), nt = new Float64Array(7);
    let m = 0;
    v.forEach((x, i) => { mu[cty[i]] += x; nu[cty[i]]++; mt[yr[i]] += x; nt[yr[i]]++; m += x; });
    return v.map((x, i) => x - mu[cty[i]] / nu[cty[i]] - mt[yr[i]] / nt[yr[i]] + m / v.length);
  };
  const x = twoWay(d.num('lprbarr').values), z = twoWay(d.num('lmix').values);
  let zx = 0;
  const g = new Float64Array(90);
  x.forEach((xi, i) => { zx += z[i] * xi; g[cty[i]] += z[i] * xi; });
  const lm = (zx * zx) / g.reduce((s, v) => s + v * v, 0);
  assert.ok(rel(r.kp_rk_lm.stat, lm) < 1e-8, `${r.kp_rk_lm.stat} vs ${lm}`);
  assert.equal(r.kp_rk_lm.df, 1);
});

test('IV: a collinear exogenous regressor is omitted; a variable in two roles is an error', () => {
  const dens = d.num('ldensity');
  const r = estimateIV({
    depvar: d.num('lcrmrte'), regressors: [dens, { name: 'dens2', values: dens.values.map((v) => 2 * v) }], endogenous: [d.num('lprbarr')],
    instruments: [d.num('lmix')], fixedEffects: [d.factor('county')], constant: false, vcov: { type: 'iid' },
  });
  assert.deepEqual(r.omitted, [{ term: 'dens2', reason: 'collinear' }]);
  assert.deepEqual(r.coefficients.map((c) => c.term), ['lprbarr', 'ldensity']);
  assert.throws(
    () => estimateIV({ depvar: d.num('lcrmrte'), regressors: [d.num('lprbarr')], endogenous: [d.num('lprbarr')], instruments: [d.num('lmix')], fixedEffects: [], constant: true, vcov: { type: 'iid' } }),
    /lprbarr appears twice in the model \(as exogenous and as endogenous\)/,
  );
});
