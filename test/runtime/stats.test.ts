// Percentiles by selection (stataPercentiles, Floyd-Rivest) against Stata's definition applied to a
// full sort (stataPercentile on sorted values): random data with many ties, n = 1 and 2, sizes where
// n p / 100 is an integer (the averaged case), arrays past the 600-element sampling threshold.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DETAIL_PERCENTILES, detailStats, floydRivest, namedStat, percentileRanks, stataPercentile, stataPercentiles } from '../../server/src/runtime/stats';

const PS = [...DETAIL_PERCENTILES, 0, 100, 33, 67, 2, 98];

function bySort(vals: number[], ps: readonly number[]): (number | null)[] {
  const sorted = Float64Array.from(vals).sort();
  return ps.map((p) => noNegZero(stataPercentile(sorted, p)));
}

/** -0 and 0 are the same number here (a sort orders -0 first, selection treats them as a tie). */
function noNegZero(x: number | null): number | null {
  return x === null ? null : x + 0;
}
const select = (vals: ArrayLike<number>, ps: readonly number[]) => stataPercentiles(vals, ps).map(noNegZero);

/** Seeded LCG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

describe('stataPercentiles (selection)', () => {
  it('matches the sort-based definition on random data with ties (fast-check)', () => {
    // few distinct values (0..7 with a scale) so ties are everywhere; up to 2,000 values crosses 600
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.constantFrom(1, 0.5, -3)).map(([v, s]) => v * s), { minLength: 1, maxLength: 2000, size: 'max' });
    fc.assert(
      fc.property(arb, fc.constantFrom(...PS), (vals, p) => {
        assert.deepEqual(select(vals, [p]), bySort(vals, [p]));
      }),
      { numRuns: 300, seed: 42 },
    );
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 300 }), (vals) => {
        assert.deepEqual(select(vals, PS), bySort(vals, PS));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('matches on large seeded arrays: continuous, heavy ties, one repeated value, sorted and reversed', () => {
    const r = rng(2026);
    const n = 20_000;
    const cases: [string, number[]][] = [
      ['continuous', Array.from({ length: n }, () => r() * 100 - 50)],
      ['heavy ties', Array.from({ length: n }, () => Math.floor(r() * 5))],
      ['constant', Array.from({ length: n }, () => 3.25)],
      ['ascending', Array.from({ length: n }, (_, i) => i)],
      ['descending', Array.from({ length: n }, (_, i) => n - i)],
      ['0/1 dummy', Array.from({ length: n + 1 }, () => (r() < 0.03 ? 1 : 0))],
    ];
    for (const [name, vals] of cases) assert.deepEqual(select(vals, PS), bySort(vals, PS), name);
  });

  it('matches on columns large enough for the bucketing path (fast-check, > 4,096 values)', () => {
    const arb = fc.tuple(fc.integer({ min: 4097, max: 9000 }), fc.integer({ min: 1, max: 40 }), fc.double({ min: 1e-9, max: 1e4, noNaN: true }), fc.integer());
    fc.assert(
      fc.property(arb, ([n, distinct, scale, seed]) => {
        const r = rng(seed);
        // half the values tied on a few levels, half spread between them: constant and mixed buckets
        const vals = Array.from({ length: n }, () => (Math.floor(r() * distinct) - distinct / 2 + (r() < 0.5 ? r() : 0)) * scale);
        assert.deepEqual(select(vals, PS), bySort(vals, PS));
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('bucketing edge cases: an outlier packs the rest into one bucket, infinities, one repeated value', () => {
    const r = rng(5);
    const packed = [...Array.from({ length: 6000 }, () => r() * 1e-6), 1e9];
    assert.deepEqual(select(packed, PS), bySort(packed, PS), 'outlier');
    const inf = [...Array.from({ length: 5000 }, () => r()), Infinity, -Infinity];
    assert.deepEqual(select(inf, PS), bySort(inf, PS), 'infinite range');
    const ties = Array.from({ length: 7000 }, (_, i) => (i % 100 === 0 ? 2 : 1));
    assert.deepEqual(select(ties, PS), bySort(ties, PS), 'two values');
    assert.deepEqual(select(new Array(5000).fill(-7), [1, 50, 99]), [-7, -7, -7]);
  });

  it('n = 1 and n = 2', () => {
    assert.deepEqual(stataPercentiles([5], [1, 50, 99]), [5, 5, 5]);
    // n = 2: P = 1 at p50 (integer: mean of 1st and 2nd); p25 -> P = 0.5 -> 1st; p75 -> 1.5 -> 2nd
    assert.deepEqual(stataPercentiles([9, 1], [25, 50, 75]), [1, 5, 9]);
    assert.deepEqual(stataPercentiles([], [50]), [null]);
  });

  it('exact-integer n p / 100 averages the P-th and (P+1)-th smallest', () => {
    // n = 100: p1 -> P = 1 -> mean of 1st and 2nd; p99 -> mean of 99th and 100th
    const vals = Array.from({ length: 100 }, (_, i) => (i * 37) % 100); // a permutation of 0..99
    assert.deepEqual(stataPercentiles(vals, [1, 25, 50, 99]), [0.5, 24.5, 49.5, 98.5]);
    // n = 20: p5 -> P = 1; p10 -> P = 2; p95 -> P = 19
    const v20 = Array.from({ length: 20 }, (_, i) => 20 - i); // 20..1
    assert.deepEqual(stataPercentiles(v20, [5, 10, 95]), [1.5, 2.5, 19.5]);
    // n = 10, p25 -> P = 2.5: the 3rd smallest
    assert.deepEqual(stataPercentiles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [25]), [3]);
    assert.deepEqual(percentileRanks(100, 50), { lo: 49, hi: 50 });
    assert.deepEqual(percentileRanks(10, 25), { lo: 2, hi: 2 });
  });

  it('leaves its input alone; floydRivest partitions around the k-th value', () => {
    const vals = [3, 1, 2, 3, 0, 3, 5];
    stataPercentiles(vals, PS);
    assert.deepEqual(vals, [3, 1, 2, 3, 0, 3, 5]);
    const r = rng(1);
    const a = Float64Array.from({ length: 5000 }, () => Math.floor(r() * 50));
    const k = 1234;
    floydRivest(a, k, 0, a.length - 1);
    const sorted = Float64Array.from(a).sort();
    assert.equal(a[k], sorted[k]);
    for (let i = 0; i < k; i++) assert.ok(a[i] <= a[k]);
    for (let i = k + 1; i < a.length; i++) assert.ok(a[i] >= a[k]);
  });

  it('detailStats and tabstat statistics use the same percentiles', () => {
    const r = rng(99);
    const vals = Float64Array.from({ length: 1001 }, () => Math.round(r() * 20));
    const d = detailStats(vals);
    const ref = bySort(Array.from(vals), DETAIL_PERCENTILES);
    DETAIL_PERCENTILES.forEach((p, i) => assert.equal(d[`p${p}`], ref[i], `p${p}`));
    assert.equal(namedStat('median', vals), ref[DETAIL_PERCENTILES.indexOf(50)]);
    assert.equal(namedStat('p90', vals), ref[DETAIL_PERCENTILES.indexOf(90)]);
    assert.equal(namedStat('iqr', vals), (ref[DETAIL_PERCENTILES.indexOf(75)] as number) - (ref[DETAIL_PERCENTILES.indexOf(25)] as number));
  });
});
