import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entropyIndex } from '../../server/src/engine/study/entropy';

const F = (a: number[]) => Float64Array.from(a);

// Hand computation (shift 0, n = 4):
//   x1 = 1,2,3,4 (+)   -> x' = 0, 1/3, 2/3, 1; p = 0, 1/6, 1/3, 1/2
//        H = (1/6)ln6 + (1/3)ln3 + (1/2)ln2 = (2/3)ln2 + (1/2)ln3;  e = H/ln4 = 1/3 + ln3/(4 ln2)
//        d1 = 1 - e = 2/3 - ln3/(4 ln2) = 0.270426...
//   x2 = 10,10,20,30 (+) -> x' = 0, 0, 1/2, 1; p = 0, 0, 1/3, 2/3
//        H = ln3 - (2/3)ln2;  e = ln3/(2 ln2) - 1/3;  d2 = 4/3 - ln3/(2 ln2) = 2 d1
//   x3 = 4,3,2,1 (-)   -> x' = (4 - x)/3 = x1's x'; d3 = d1
//   weights = d / (4 d1) = 1/4, 1/2, 1/4;  NEW = 100 (x1'/4 + x2'/2 + x3'/4) = 0, 16.67, 58.33, 100
test('entropy index: hand-computed 4x3 example', () => {
  const r = entropyIndex(
    [{ name: 'x1', values: F([1, 2, 3, 4]) }, { name: 'x2', values: F([10, 10, 20, 30]) }, { name: 'x3', values: F([4, 3, 2, 1]), negative: true }],
    { shift: 0, scale: 100 },
  );
  const w = r.weights.map((x) => x.weight);
  [0.25, 0.5, 0.25].forEach((v, j) => assert.ok(Math.abs(w[j] - v) < 1e-14, `w${j + 1} = ${w[j]}`));
  assert.deepEqual(r.weights.map((x) => x.direction), [1, 1, -1]);
  assert.ok(Math.abs(r.weights[0].entropy - (1 / 3 + Math.log(3) / (4 * Math.log(2)))) < 1e-14);
  [0, 100 / 6, 100 * 7 / 12, 100].forEach((v, i) => assert.ok(Math.abs(r.values[i] - v) < 1e-12, `row ${i}: ${r.values[i]}`));
});

test('entropy index with shift matches a straightforward re-computation; missing rows and sample', () => {
  const x1 = F([3, 7, NaN, 1, 9, 4]), x2 = F([0.2, 0.1, 0.5, 0.9, 0.4, 0.3]);
  const sample = Uint8Array.from([1, 1, 1, 1, 1, 0]);
  const r = entropyIndex([{ name: 'a', values: x1 }, { name: 'b', values: x2, negative: true }], { shift: 0.0001, scale: 1, sample });
  const rows = [0, 1, 3, 4];
  const cols = [rows.map((i) => x1[i]), rows.map((i) => x2[i])];
  const xp = cols.map((c, j) => {
    const lo = Math.min(...c), hi = Math.max(...c);
    return c.map((v) => (j === 1 ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo)) + 0.0001);
  });
  const ds = xp.map((c) => { const s = c.reduce((a, b) => a + b, 0); return 1 + c.reduce((h, v) => h + (v / s) * Math.log(v / s), 0) / Math.log(4); });
  const ws = ds.map((v) => v / (ds[0] + ds[1]));
  assert.ok(Math.abs(r.weights[0].weight - ws[0]) < 1e-14 && Math.abs(r.weights[1].weight - ws[1]) < 1e-14);
  rows.forEach((i, k) => assert.ok(Math.abs(r.values[i] - (ws[0] * xp[0][k] + ws[1] * xp[1][k])) < 1e-14));
  assert.ok(Number.isNaN(r.values[2]) && Number.isNaN(r.values[5]));
  assert.equal(r.nobs, 4);
  assert.ok(r.warnings.some((w) => /1 row\(s\) with a missing indicator/.test(w)));
});

test('entropy index: constant indicator gets weight 0 with a warning, never NaN; errors', () => {
  const r = entropyIndex([{ name: 'a', values: F([1, 2, 3]) }, { name: 'k', values: F([5, 5, 5]) }], { shift: 0, scale: 100 });
  assert.equal(r.weights[1].weight, 0);
  assert.equal(r.weights[0].weight, 1);
  assert.ok(r.warnings.some((w) => /k is constant/.test(w)));
  assert.ok([...r.values].every(Number.isFinite));
  assert.throws(() => entropyIndex([{ name: 'k', values: F([5, 5, 5]) }], { shift: 0, scale: 1 }), /every indicator is constant/);
  assert.throws(() => entropyIndex([], { shift: 0, scale: 1 }), /no indicator/);
  assert.throws(() => entropyIndex([{ name: 'a', values: F([1, 2]) }], { shift: -1, scale: 1 }), /shift/);
});
