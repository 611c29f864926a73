// BJS imputation against R didimputation 0.4.0 (mpdta_bjs): the static tau, horizons 0..3 with
// three leads, horizons with every lead (-1 dropped as collinear), and the pre-trend regressions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectRow, runImputation, type ImputationInput } from '../../server/src/engine/did/imputation';
import { readCase, readCsv, rel } from '../study/helpers';

function close(a: number, b: number, what: string): void {
  assert.ok(rel(a, b) < 1e-6, `${what}: ${a} vs ${b}`);
}

const d = readCsv('test/reference/data/mpdta.csv');
const county = d.factor('countyreal');
const base: ImputationInput = {
  depvar: d.num('lemp'), time: d.num('year').values, adopt: d.num('first.treat').values,
  fixedEffects: [county, d.factor('year')], cluster: county, horizons: null, pretrends: 0,
};
const ref = readCase('mpdta_bjs').results;
type Row = { term: string; estimate: number; 'std.error': number; 'conf.low': number; 'conf.high': number };

test('static imputation tau matches didimputation', () => {
  const r = runImputation(base);
  const t: Row = ref.static.table[0];
  const row = effectRow(r.static);
  close(row.estimate, t.estimate, 'tau');
  close(row.se, t['std.error'], 'tau se');
  close(row.ci_low, t['conf.low'], 'tau ci_low');
  close(row.ci_high, t['conf.high'], 'tau ci_high');
  assert.equal(r.n_treated, ref.sample.n_treated_obs);
  assert.equal(r.n_untreated, ref.sample.n_untreated_obs);
  assert.equal(r.nobs, ref.sample.n_obs);
  assert.equal(r.n_clusters, ref.sample.n_units);
});

function checkHorizonTable(K: number, table: Row[], fitRef: any): void {
  const r = runImputation({ ...base, horizons: { lo: 0, hi: 3 }, pretrends: K });
  const pre = r.pretrend_fit!;
  const rows = new Map<string, { estimate: number; se: number; ci_low: number; ci_high: number }>();
  for (const h of r.horizons) rows.set(String(h.k), effectRow(h));
  for (const c of pre.coefficients) rows.set(`-${c.term.slice(3)}`, { ...c, ci_low: c.estimate - 1.96 * c.se, ci_high: c.estimate + 1.96 * c.se });
  assert.deepEqual([...rows.keys()].sort(), table.map((t) => t.term).sort());
  for (const t of table) {
    const x = rows.get(t.term)!;
    close(x.estimate, t.estimate, `${t.term} estimate`);
    close(x.se, t['std.error'], `${t.term} se`);
    close(x.ci_low, t['conf.low'], `${t.term} ci_low`);
    close(x.ci_high, t['conf.high'], `${t.term} ci_high`);
  }
  // the lead regression as fixest fits it
  for (const c of pre.coefficients) {
    const f = fitRef.coefficients[`event_time::-${c.term.slice(3)}`];
    close(c.t, f.t, `${c.term} t`);
    close(c.p, f.p_value, `${c.term} p`);
    close(c.ci_low, f.ci_low, `${c.term} fit ci_low`);
    close(c.ci_high, f.ci_high, `${c.term} fit ci_high`);
  }
  assert.equal(pre.nobs, fitRef.nobs);
  assert.equal(pre.df_t, fitRef.df_t);
  assert.equal(pre.df_k, fitRef.df_K);
  close(pre.r2, fitRef.r2, 'pre r2');
  close(pre.r2_within!, fitRef.within_r2, 'pre within r2');
  close(pre.ssr, fitRef.ssr, 'pre ssr');
  assert.deepEqual(pre.omitted.map((o) => o.term), fitRef.collinear_removed.map((t: string) => `pre${t.split('::-')[1]}`));
  // the joint test from the reference's own coefficients and VCOV (3x3 Gauss-Jordan)
  const names: string[] = fitRef.coef_order;
  const b = names.map((t) => fitRef.coefficients[t].estimate);
  const M = fitRef.vcov.map((row: number[], i: number) => [...row, b[i]]);
  const q = b.length;
  for (let c = 0; c < q; c++) {
    const pv = M[c][c];
    for (let j = c; j <= q; j++) M[c][j] /= pv;
    for (let rr = 0; rr < q; rr++) if (rr !== c) { const f = M[rr][c]; for (let j = c; j <= q; j++) M[rr][j] -= f * M[c][j]; }
  }
  const F = b.reduce((s, bi, i) => s + bi * M[i][q], 0) / q;
  close(r.pretrend_test!.f, F, 'pretrend F');
  assert.equal(r.pretrend_test!.df, q);
  assert.equal(r.pretrend_test!.df2, fitRef.df_t);
}

test('horizons 0..3 with leads -3..-1 match didimputation and its lead regression', () => {
  checkHorizonTable(3, ref.horizon.table, ref.pretrend_regression.pretrends_3.fit);
});

test('horizons with every lead: -1 dropped as collinear, as fixest does', () => {
  checkHorizonTable(4, ref.horizon_all_pretrends.table, ref.pretrend_regression.pretrends_4.fit);
});

test('imputation: bad horizons and leads beyond the data are clear errors', () => {
  assert.throws(() => runImputation({ ...base, horizons: { lo: -1, hi: 2 } }), /leads go in pretrends/);
  assert.throws(() => runImputation({ ...base, horizons: { lo: 3, hi: 1 } }), /empty/);
  assert.throws(() => runImputation({ ...base, pretrends: 5 }), /no untreated observation at event time -5/);
  const r = runImputation({ ...base, horizons: { lo: 0, hi: 5 } });
  assert.deepEqual(r.empty_horizons, [4, 5]);
  assert.deepEqual(r.horizons.map((h) => h.k), [0, 1, 2, 3]);
});

test('treated rows the untreated rows cannot impute are left out, with a warning', () => {
  // from 2004 on, the 2004 cohort has no untreated row: its units' FEs are unknown
  const yr = d.num('year').values;
  const sample = Uint8Array.from(yr, (t) => (t > 2003 ? 1 : 0));
  const r = runImputation({ ...base, sample });
  assert.ok(r.warnings.some((w) => /^80 treated observations cannot be imputed/.test(w)), r.warnings.join('; '));
  // the same numbers as leaving those units out by hand
  const ft = d.num('first.treat').values;
  const s2 = Uint8Array.from(yr, (t, i) => (t > 2003 && ft[i] !== 2004 ? 1 : 0));
  const q = runImputation({ ...base, sample: s2 });
  close(r.static.estimate, q.static.estimate, 'tau');
  close(r.static.se, q.static.se, 'tau se');
  assert.equal(r.nobs, q.nobs);
});

test('explicit FEs and another cluster variable go through', () => {
  // clustering by unit given explicitly reproduces the default
  const r = runImputation({ ...base, cluster: county, fixedEffects: [county, d.factor('year')] });
  close(r.static.se, ref.static.table[0]['std.error'], 'tau se');
  // one cluster per year: five clusters, and a different SE
  const byYear = runImputation({ ...base, cluster: d.factor('year') });
  assert.equal(byYear.n_clusters, 5);
  assert.notEqual(byYear.static.se, r.static.se);
  close(byYear.static.estimate, r.static.estimate, 'tau does not depend on the clustering');
});
