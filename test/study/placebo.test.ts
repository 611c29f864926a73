import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPlacebo } from '../../server/src/engine/study/placebo';
import { Rng } from '../../server/src/engine/study/rng';
import { prepareDesign } from '../../server/src/engine/design';
import { estimate } from '../../server/src/engine/estimate';
import type { RegressionInput } from '../../server/src/engine/types';
import { readCsv, rel } from './helpers';

test('xoshiro128** gives the published first outputs and seeds are reproducible', () => {
  const r = Rng.fromState(1, 2, 3, 4);
  assert.deepEqual([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()], [11520, 0, 5927040, 70819200]);
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 5 }, () => a.uniform());
  assert.deepEqual(xa, Array.from({ length: 5 }, () => b.uniform()));
  assert.notDeepEqual(xa, Array.from({ length: 5 }, () => c.uniform()));
  assert.ok(xa.every((v) => v >= 0 && v < 1));
  const s = new Rng(1).sample(10, 10);
  assert.deepEqual([...s].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // uniform mean over many draws
  const g = new Rng(7);
  let m = 0;
  for (let i = 0; i < 100000; i++) m += g.uniform();
  assert.ok(Math.abs(m / 100000 - 0.5) < 0.005);
});

const d = readCsv('test/reference/data/mpdta.csv');
const year = d.num('year').values;
const ft = d.num('first.treat').values;
const post = { name: 'post', values: Float64Array.from(year, (y, i) => (ft[i] > 0 && y >= ft[i] ? 1 : 0)) };
const county = d.factor('countyreal');
const model: RegressionInput = {
  depvar: d.num('lemp'), regressors: [post, d.num('lpop')], fixedEffects: [county, d.factor('year')], constant: false,
  vcov: { type: 'cluster', clusters: [county] },
};

test('placebo draws follow the contract and each equals a full re-estimation', () => {
  const seen: Float64Array[] = [];
  const spy = (m: RegressionInput, t: string) => {
    const des = prepareDesign(m, t);
    return { ...des, refit: (v: Float64Array) => { seen.push(Float64Array.from(v)); return des.refit(v); } };
  };
  let last = 0;
  const out = runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 20, units: 50, seed: 123, onProgress: (f) => { last = f; } }, spy);
  assert.equal(out.reps, 20);
  assert.equal(last, 1);
  assert.deepEqual(out.adoption_times, [2004, 2006, 2007]);
  const full = estimate(model);
  assert.ok(rel(out.actual, full.coefficients[0].estimate) < 1e-12);
  for (let k = 0; k < 3; k++) {
    const v = seen[k];
    // exactly 50 units switch on, each at one of the real adoption times, and stay on
    const byUnit = new Map<number, number[]>();
    for (let i = 0; i < v.length; i++) {
      if (!byUnit.has(county.codes[i])) byUnit.set(county.codes[i], []);
      byUnit.get(county.codes[i])!.push(i);
    }
    let treated = 0;
    for (const rows of byUnit.values()) {
      const on = rows.filter((i) => v[i] === 1);
      if (!on.length) continue;
      treated++;
      const start = Math.min(...on.map((i) => year[i]));
      assert.ok([2004, 2006, 2007].includes(start));
      for (const i of rows) assert.equal(v[i], year[i] >= start ? 1 : 0);
    }
    assert.equal(treated, 50);
    const re = estimate({ ...model, regressors: [{ name: 'post', values: v }, model.regressors[1]] });
    assert.ok(rel(out.draws[k], re.coefficients[0].estimate) < 1e-8, `draw ${k}: ${out.draws[k]} vs ${re.coefficients[0].estimate}`);
  }
  const m = out.draws.reduce((a, b) => a + b, 0) / 20;
  assert.ok(rel(out.mean, m) < 1e-12);
  const sd = Math.sqrt(out.draws.reduce((a, b) => a + (b - m) ** 2, 0) / 19);
  assert.ok(rel(out.sd, sd) < 1e-12);
  assert.equal(out.p_value, out.draws.filter((x) => Math.abs(x) >= Math.abs(out.actual)).length / 20);
});

test('placebo: same seed same draws, other seed other draws; cancel; errors', () => {
  const a = runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 10, units: 100, seed: 9 });
  const b = runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 10, units: 100, seed: 9 });
  const c = runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 10, units: 100, seed: 10 });
  assert.deepEqual(a.draws, b.draws);
  assert.notDeepEqual(a.draws, c.draws);
  let calls = 0;
  const x = runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 100, units: 100, seed: 9, shouldCancel: () => ++calls > 5 });
  assert.equal(x.cancelled, true);
  assert.equal(x.reps, 5);
  assert.deepEqual(x.draws, a.draws.slice(0, 5));
  const ac = new AbortController();
  ac.abort();
  assert.equal(runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 10, units: 10, seed: 1, signal: ac.signal }).reps, 0);
  assert.throws(() => runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 10, units: 501, seed: 1 }), /units\(501\) exceeds the 500 units/);
  assert.throws(() => runPlacebo({ model, treatment: 'nope', unit: county.codes, time: year, reps: 10, units: 5, seed: 1 }), /not among/);
  assert.throws(() => runPlacebo({ model, treatment: 'post', unit: county.codes, time: year, reps: 0, units: 5, seed: 1 }), /reps/);
});
