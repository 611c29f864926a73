import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEventDummies, eventTermName, runEventStudy, assembleEventStudy } from '../../server/src/engine/study/eventstudy';
import { fUpperP } from '../../server/src/engine/dist';
import { readCase, readCsv, rel } from './helpers';

/** b' V^-1 b / q by Gauss-Jordan on the reference's own numbers (independent of the engine). */
function waldF(b: number[], V: number[][]): number {
  const q = b.length;
  const M = V.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < q; c++) {
    const p = M[c][c];
    for (let j = c; j <= q; j++) M[c][j] /= p;
    for (let r = 0; r < q; r++) if (r !== c) { const f = M[r][c]; for (let j = c; j <= q; j++) M[r][j] -= f * M[c][j]; }
  }
  return b.reduce((s, bi, i) => s + bi * M[i][q], 0) / q;
}

test('event dummies follow the contract: k = time - adopt, window, ref, never treated', () => {
  const time = Float64Array.from([1, 2, 3, 4, 1, 2, 3, 4, 1, 2]);
  const adopt = Float64Array.from([3, 3, 3, 3, 0, 0, 0, 0, NaN, NaN]);
  const d = buildEventDummies(time, adopt, { lo: -1, hi: 0, ref: -1 });
  assert.deepEqual(d.map((x) => x.k), [0]);
  assert.deepEqual(Array.from(d[0].column.values), [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  const d2 = buildEventDummies(time, adopt, { lo: -2, hi: 1, ref: -1 });
  assert.deepEqual(d2.map((x) => x.name), ['_k_m2', '_k_0', '_k_1']);
  assert.deepEqual(d2.map((x) => x.label), ['-2', '0', '1']);
  assert.deepEqual(Array.from(d2[0].column.values), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(d2[2].column.values), [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  assert.equal(eventTermName(-4), '_k_m4');
  assert.throws(() => buildEventDummies(time, adopt, { lo: -2, hi: 1, ref: 3 }), /outside window/);
  assert.throws(() => buildEventDummies(time, adopt, { lo: 2, hi: 1, ref: 1 }), /empty/);
});

test('event study on mpdta reproduces fixest i(rel_time, ref = c(-1, -1000))', () => {
  const ref = readCase('mpdta_es_twfe').results;
  const d = readCsv('test/reference/data/mpdta.csv');
  const county = d.factor('countyreal');
  const r = runEventStudy({
    base: { depvar: d.num('lemp'), regressors: [], fixedEffects: [county, d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [county] } },
    time: d.num('year').values, adopt: d.num('first.treat').values, window: { lo: -4, hi: 3, ref: -1 },
  });
  assert.deepEqual(r.event_time.map((e) => e.k), [-4, -3, -2, -1, 0, 1, 2, 3]);
  const refRow = r.event_time.find((e) => e.k === -1)!;
  assert.deepEqual([refRow.estimate, refRow.se, refRow.ci_low, refRow.ci_high], [0, 0, 0, 0]);
  for (const e of r.event_time) {
    if (e.k === -1) continue;
    const c = ref.coefficients[`rel_time::${e.k}`];
    assert.ok(rel(e.estimate, c.estimate) < 1e-6, `k=${e.k} ${e.estimate} vs ${c.estimate}`);
    assert.ok(rel(e.se, c.std_error) < 1e-6, `k=${e.k} se`);
    assert.ok(rel(e.ci_low, c.ci_low) < 1e-6 && rel(e.ci_high, c.ci_high) < 1e-6, `k=${e.k} ci`);
  }
  assert.equal(r.nobs, ref.nobs);
  assert.equal(r.df_t, ref.df_t);
  // pre-trend: leads -4, -3, -2, tested with the reference's own coefficients and VCOV
  const leads = ['rel_time::-4', 'rel_time::-3', 'rel_time::-2'];
  const idx = leads.map((t) => ref.coef_order.indexOf(t));
  const F = waldF(leads.map((t) => ref.coefficients[t].estimate), idx.map((i) => idx.map((j) => ref.vcov[i][j])));
  const pt = r.pretrend_test!;
  assert.deepEqual(pt.leads, [-4, -3, -2]);
  assert.equal(pt.df1, 3);
  assert.equal(pt.df2, ref.df_t);
  assert.ok(rel(pt.stat, F) < 1e-6, `pretrend F ${pt.stat} vs ${F}`);
  assert.ok(rel(pt.p, fUpperP(F, 3, ref.df_t)) < 1e-6);
});

test('event study on base_stagg (never treated coded 10000) with a control reproduces fixest', () => {
  const ref = readCase('base_stagg_es_twfe').results;
  const d = readCsv('test/reference/data/base_stagg.csv');
  const id = d.factor('id');
  const r = runEventStudy({
    base: { depvar: d.num('y'), regressors: [d.num('x1')], fixedEffects: [id, d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [id] } },
    time: d.num('year').values, adopt: d.num('year_treated').values, window: { lo: -9, hi: 8, ref: -1 },
  });
  assert.equal(r.event_time.length, 18);
  for (const e of r.event_time) {
    if (e.k === -1) continue;
    const c = ref.coefficients[`time_to_treatment::${e.k}`];
    assert.ok(rel(e.estimate, c.estimate) < 1e-6, `k=${e.k}`);
    assert.ok(rel(e.se, c.std_error) < 1e-6, `k=${e.k} se ${e.se} vs ${c.std_error}`);
  }
  const x1 = r.coefficients.find((c) => c.term === 'x1')!;
  assert.ok(rel(x1.estimate, ref.coefficients.x1.estimate) < 1e-6);
  assert.ok(rel(x1.se, ref.coefficients.x1.std_error) < 1e-6);
  const leads = ref.coef_order.filter((t: string) => /::-/.test(t));
  const idx = leads.map((t: string) => ref.coef_order.indexOf(t));
  const F = waldF(leads.map((t: string) => ref.coefficients[t].estimate), idx.map((i: number) => idx.map((j: number) => ref.vcov[i][j])));
  assert.equal(r.pretrend_test!.df1, 8);
  assert.ok(rel(r.pretrend_test!.stat, F) < 1e-6, `${r.pretrend_test!.stat} vs ${F}`);
});

test('event study: a window period without observations is dropped with a warning naming k', () => {
  const d = readCsv('test/reference/data/mpdta.csv');
  const county = d.factor('countyreal');
  const r = runEventStudy({
    base: { depvar: d.num('lemp'), regressors: [], fixedEffects: [county, d.factor('year')], constant: false, vcov: { type: 'cluster', clusters: [county] } },
    time: d.num('year').values, adopt: d.num('first.treat').values, window: { lo: -6, hi: 3, ref: -1 },
  });
  assert.ok(r.warnings.some((w) => /event time -6 has no observation/.test(w)));
  assert.ok(r.warnings.some((w) => /event time -5 has no observation/.test(w)));
  assert.deepEqual(r.event_time.map((e) => e.k), [-4, -3, -2, -1, 0, 1, 2, 3]);
  assert.deepEqual(r.omitted, [{ term: '_k_m6', reason: 'no observations' }, { term: '_k_m5', reason: 'no observations' }], 'the JSON says why they are missing');
  // assembling against a core without a dummy reports it as collinear rather than crashing
  const dummies = buildEventDummies(d.num('year').values, d.num('first.treat').values, { lo: -4, hi: 3, ref: -1 });
  const es = assembleEventStudy({ ...r, coefficients: r.coefficients.filter((c) => c.term !== '_k_3') }, dummies, { lo: -4, hi: 3, ref: -1 });
  assert.ok(es.warnings.some((w) => /event time 3 was dropped/.test(w)));
});
