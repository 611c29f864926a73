// The data viewer's sort (radix for numbers, counting for strings) against the plain comparator
// sort it replaced: same order, ties in row order, missing last either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeOrder, numericOrder } from '../../server/src/data/order';
import { mulberry32 } from '../util/mulberry32';

/** The reference: a stable comparator sort, missing last. */
function byComparator(v: Float64Array, descending: boolean): number[] {
  const idx = Array.from({ length: v.length }, (_, i) => i);
  const s = descending ? -1 : 1;
  return idx.sort((a, b) => {
    const ma = Number.isNaN(v[a]);
    const mb = Number.isNaN(v[b]);
    if (ma || mb) return ma === mb ? a - b : ma ? 1 : -1;
    return v[a] === v[b] ? a - b : (v[a] < v[b] ? -1 : 1) * s;
  });
}

test('numeric order equals a stable comparator sort (ties, missing, -0, infinities, tiny and huge values)', () => {
  const rnd = mulberry32(7);
  const specials = [NaN, 0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1e308, -1e308, 1, -1, 2.5, -2.5];
  for (const n of [0, 1, 2, 17, 1000, 20000]) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rnd();
      v[i] = u < 0.1 ? specials[Math.floor(rnd() * specials.length)] : u < 0.5 ? Math.floor(rnd() * 20) - 10 : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12 - 6);
    }
    for (const d of [false, true]) assert.deepEqual(Array.from(numericOrder(v, d)), byComparator(v, d), `n=${n} descending=${d}`);
  }
});

test('numeric order: all missing, and one repeated value, keep row order', () => {
  assert.deepEqual(Array.from(numericOrder(new Float64Array([NaN, NaN, NaN]), false)), [0, 1, 2]);
  assert.deepEqual(Array.from(numericOrder(new Float64Array([3, 3, NaN, 3]), true)), [0, 1, 3, 2]);
});

test('string order by text, duplicate levels tie, missing last', () => {
  const levels = ['b', 'a', 'c', 'a'];
  const codes = Int32Array.from([0, 1, -1, 2, 3, 1, 0]);
  // texts: b a . c a a b
  assert.deepEqual(Array.from(codeOrder(codes, levels, false)), [1, 4, 5, 0, 6, 3, 2]);
  assert.deepEqual(Array.from(codeOrder(codes, levels, true)), [3, 0, 6, 1, 4, 5, 2]);
});
