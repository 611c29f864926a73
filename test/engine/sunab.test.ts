// Sun-Abraham against fixest's sunab(): period coefficients, the aggregate ATT and the cohort x
// period cells of mpdta_sunab and base_stagg_sunab, estimates and clustered SEs to 1e-6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSunAb } from '../../server/src/engine/did/sunab';
import { readCase, readCsv, rel } from '../study/helpers';

function close(a: number, b: number, what: string): void {
  assert.ok(rel(a, b) < 1e-6, `${what}: ${a} vs ${b}`);
}

/** fixest's `year::k` and `year::k:cohort::g` names */
function checkAgainst(r: ReturnType<typeof runSunAb>, ref: any, controls: string[]): void {
  const periods = ref.coef_order.filter((t: string) => t.startsWith('year::'));
  const ks = periods.map((t: string) => Number(t.slice(6)));
  assert.deepEqual(r.event_time.filter((e) => e.k !== -1).map((e) => e.k), ks);
  const refRow = r.event_time.find((e) => e.k === -1)!;
  assert.deepEqual([refRow.estimate, refRow.se], [0, 0]);
  for (const e of r.event_time) {
    if (e.k === -1) continue;
    const c = ref.coefficients[`year::${e.k}`];
    close(e.estimate, c.estimate, `k=${e.k} estimate`);
    close(e.se, c.std_error, `k=${e.k} se`);
    close(e.ci_low, c.ci_low, `k=${e.k} ci_low`);
    close(e.ci_high, c.ci_high, `k=${e.k} ci_high`);
  }
  for (const x of controls) {
    const c = r.coefficients.find((q) => q.term === x)!;
    close(c.estimate, ref.coefficients[x].estimate, x);
    close(c.se, ref.coefficients[x].std_error, `${x} se`);
    close(c.p, ref.coefficients[x].p_value, `${x} p`);
  }
  close(r.att.estimate, ref.aggregate_ATT.estimate, 'ATT');
  close(r.att.se, ref.aggregate_ATT.std_error, 'ATT se');
  close(r.att.t, ref.aggregate_ATT.t, 'ATT t');
  close(r.att.p, ref.aggregate_ATT.p_value, 'ATT p');
  const dis = ref.disaggregated.coefficients;
  const cellNames = Object.keys(dis).filter((t) => t.includes(':cohort::'));
  assert.equal(r.cohort_cells.length, cellNames.length);
  for (const c of r.cohort_cells) {
    const d = dis[`year::${c.k}:cohort::${c.cohort}`];
    assert.ok(d, `cell ${c.k} ${c.cohort} in the reference`);
    close(c.estimate, d.estimate, `cell ${c.k}/${c.cohort}`);
    close(c.se, d.std_error, `cell ${c.k}/${c.cohort} se`);
  }
  assert.equal(r.nobs, ref.nobs);
  assert.equal(r.df_t, ref.df_t);
  assert.equal(r.df_k, ref.df_K);
  close(r.r2, ref.r2, 'r2');
  close(r.r2_within!, ref.within_r2, 'within r2');
}

test('sunab on mpdta matches fixest (period coefficients, ATT, cells)', () => {
  const ref = readCase('mpdta_sunab').results;
  const d = readCsv('test/reference/data/mpdta.csv');
  const county = d.factor('countyreal');
  const r = runSunAb({
    base: { depvar: d.num('lemp'), regressors: [], fixedEffects: [county, d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [county] } },
    time: d.num('year').values, adopt: d.num('first.treat').values, ref: -1,
  });
  checkAgainst(r, ref, []);
});

test('sunab on base_stagg with a control matches fixest (never treated coded 10000)', () => {
  const ref = readCase('base_stagg_sunab').results;
  const d = readCsv('test/reference/data/base_stagg.csv');
  const id = d.factor('id');
  const r = runSunAb({
    base: { depvar: d.num('y'), regressors: [d.num('x1')], fixedEffects: [id, d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [id] } },
    time: d.num('year').values, adopt: d.num('year_treated').values, ref: -1,
  });
  checkAgainst(r, ref, ['x1']);
});

test('sunab window keeps only the relative periods inside it', () => {
  const d = readCsv('test/reference/data/mpdta.csv');
  const county = d.factor('countyreal');
  const r = runSunAb({
    base: { depvar: d.num('lemp'), regressors: [], fixedEffects: [county, d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [county] } },
    time: d.num('year').values, adopt: d.num('first.treat').values, ref: -1, window: { lo: -2, hi: 1 },
  });
  assert.deepEqual(r.event_time.map((e) => e.k), [-2, -1, 0, 1]);
  assert.ok(r.cohort_cells.every((c) => c.k >= -2 && c.k <= 1));
});

test('sunab leaves always-treated cohorts out, as fixest does (same numbers as dropping their units)', () => {
  const d = readCsv('test/reference/data/mpdta.csv');
  const county = d.factor('countyreal');
  const ft = d.num('first.treat').values;
  const adopt = Float64Array.from(ft, (g) => (g === 2004 ? 2003 : g)); // the 2004 cohort relabelled as treated from 2003
  const base = { depvar: d.num('lemp'), regressors: [], fixedEffects: [county, d.factor('year')], constant: false, vcov: { type: 'cluster' as const, clusters: [county] } };
  const r = runSunAb({ base, time: d.num('year').values, adopt, ref: -1 });
  const sample = Uint8Array.from(ft, (g) => (g === 2004 ? 0 : 1));
  const s = runSunAb({ base: { ...base, sample }, time: d.num('year').values, adopt: ft, ref: -1 });
  assert.equal(r.nobs, 2500 - 5 * 20);
  assert.equal(r.nobs, s.nobs);
  assert.ok(r.warnings.some((w) => /always-treated cohort 2003/.test(w)));
  assert.ok(!r.cohort_cells.some((c) => c.cohort === 2003));
  assert.deepEqual(r.event_time.map((e) => e.k), s.event_time.map((e) => e.k));
  r.event_time.forEach((e, j) => {
    close(e.estimate === 0 ? 1 : e.estimate, s.event_time[j].estimate === 0 ? 1 : s.event_time[j].estimate, `k=${e.k}`);
    close(e.se === 0 ? 1 : e.se, s.event_time[j].se === 0 ? 1 : s.event_time[j].se, `k=${e.k} se`);
  });
  close(r.att.estimate, s.att.estimate, 'ATT');
});
