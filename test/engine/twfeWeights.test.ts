// TWFE weights (de Chaisemartin and D'Haultfoeuille 2020) against an explicit dummy regression: D on
// unit and year dummies (year dummies by QR after the unit means, by FWL), weights = treated residual /
// sum of treated residuals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedEffects } from '../../server/src/engine/demean';
import { adoptionCohorts, firstTreated, twfeWeights } from '../../server/src/engine/did/twfeWeights';
import { dummyCols, exactOls } from './exactols';
import { readCsv } from '../study/helpers';

function codes(v: Float64Array): { codes: Int32Array; nlevels: number } {
  const levels = [...new Set(v)].sort((a, b) => a - b);
  const at = new Map(levels.map((x, i) => [x, i]));
  return { codes: Int32Array.from(v, (x) => at.get(x)!), nlevels: levels.length };
}

/** Within-unit deviations (the unit dummies partialled out exactly: one FE has a closed form). */
function withinUnit(x: ArrayLike<number>, u: Int32Array, G: number): number[] {
  const sum = new Float64Array(G);
  const cnt = new Float64Array(G);
  for (let i = 0; i < u.length; i++) {
    sum[u[i]] += x[i];
    cnt[u[i]]++;
  }
  return Array.from(x, (v, i) => v - sum[u[i]] / cnt[u[i]]);
}

/**
 * The weights by the explicit regression of D on unit and year dummies, over the rows kept. By
 * Frisch-Waugh-Lovell the residuals are those of the within-unit D on the within-unit year dummies
 * (least squares by QR, ml-matrix), which keeps the design small.
 */
function explicit(d: Float64Array, unit: Float64Array, year: Float64Array) {
  const u = codes(unit);
  const t = codes(year);
  const years = dummyCols(t.codes, t.nlevels, 0).map((col) => withinUnit(col, u.codes, u.nlevels));
  const fit = exactOls(years, withinUnit(d, u.codes, u.nlevels));
  let denom = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) denom += fit.resid[i];
  const w = fit.resid.map((e, i) => (d[i] !== 0 ? e / denom : 0));
  const neg = w.filter((x, i) => d[i] !== 0 && x < 0);
  return { w, negative: neg.length, treated: d.reduce((s, x) => s + (x !== 0 ? 1 : 0), 0), negativeSum: neg.reduce((s, x) => s + x, 0) };
}

function check(d: Float64Array, unit: Float64Array, year: Float64Array): { negative: number; treated: number; negativeSum: number } {
  const u = codes(unit);
  const t = codes(year);
  const fe = new FixedEffects([{ name: 'unit', ...u }, { name: 'year', ...t }]);
  const r = twfeWeights(d, fe)!;
  const x = explicit(d, unit, year);
  assert.equal(r.treated, x.treated);
  assert.equal(r.negative, x.negative);
  assert.ok(Math.abs(r.negativeSum - x.negativeSum) < 1e-9, `${r.negativeSum} vs ${x.negativeSum}`);
  for (let i = 0; i < d.length; i++) assert.ok(Math.abs(r.weights[i] - x.w[i]) < 1e-9, `row ${i}: ${r.weights[i]} vs ${x.w[i]}`);
  const sum = r.weights.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12, `weights sum to ${sum}`);
  return x;
}

function subset(v: Float64Array, keep: number[]): Float64Array {
  return Float64Array.from(keep, (i) => v[i]);
}

test('mpdta: weights of post = year >= first.treat match the dummy regression; 3 cohorts, some negative', () => {
  const m = readCsv('test/reference/data/mpdta.csv');
  const year = m.num('year').values;
  const g = m.num('first.treat').values;
  const unit = m.num('countyreal').values;
  const post = Float64Array.from(year, (t, i) => (g[i] > 0 && t >= g[i] ? 1 : 0));
  const x = check(post, unit, year);
  assert.ok(x.negative > 0 && x.negativeSum < 0, 'early adopters in late years get negative weight');
  const cohorts = adoptionCohorts(codes(unit).codes, g);
  assert.deepEqual(cohorts.map((c) => c.time), [2004, 2006, 2007]);
  assert.equal(cohorts.reduce((s, c) => s + c.units, 0), new Set(Array.from(unit).filter((_, i) => g[i] > 0)).size);
});

test('mpdta unbalanced (odd counties lose 2003): the iterative demeaning matches the dummy regression', () => {
  const m = readCsv('test/reference/data/mpdta.csv');
  const year = m.num('year').values;
  const g = m.num('first.treat').values;
  const unit = m.num('countyreal').values;
  const keep = [...year.keys()].filter((i) => !(year[i] === 2003 && unit[i] % 2 === 1));
  const post = Float64Array.from(keep, (i) => (g[i] > 0 && year[i] >= g[i] ? 1 : 0));
  check(post, subset(unit, keep), subset(year, keep));
});

test('city panel: integration = year >= approval_year; 4 cohorts 2015-2018', () => {
  const c = readCsv('samples/city_panel.csv');
  const year = c.num('year').values;
  const unit = c.num('city_id').values;
  const g = c.num('approval_year').values;
  const d = c.num('integration').values;
  // late adoption and many never-treated cities: every treated cell keeps a positive weight
  const x = check(d, unit, year);
  assert.equal(x.negative, 0);
  assert.deepEqual(adoptionCohorts(codes(unit).codes, g).map((k) => k.time), [2015, 2016, 2017, 2018]);
});

test('no variation left after the fixed effects: no weights', () => {
  // every unit treated from the same period: D is a function of time, absorbed by the year FE
  const unit = Float64Array.from({ length: 12 }, (_, i) => Math.floor(i / 3));
  const year = Float64Array.from({ length: 12 }, (_, i) => i % 3);
  const d = Float64Array.from(year, (t) => (t >= 1 ? 1 : 0));
  const fe = new FixedEffects([{ name: 'u', ...codes(unit) }, { name: 't', ...codes(year) }]);
  assert.equal(twfeWeights(d, fe), undefined);
});

test('firstTreated: the adoption period read back from the treatment dummy (mpdta: first.treat; city panel: approval_year)', () => {
  const m = readCsv('test/reference/data/mpdta.csv');
  const year = m.num('year').values;
  const g = m.num('first.treat').values;
  const post = Float64Array.from(year, (t, i) => (g[i] > 0 && t >= g[i] ? 1 : 0));
  assert.deepEqual(Array.from(firstTreated(codes(m.num('countyreal').values).codes, year, post)), Array.from(g));
  const c = readCsv('samples/city_panel.csv');
  const a = c.num('approval_year').values;
  const got = firstTreated(codes(c.num('city_id').values).codes, c.num('year').values, c.num('integration').values);
  assert.deepEqual(Array.from(got), Array.from(a, (x) => (Number.isNaN(x) ? 0 : x)));
});
