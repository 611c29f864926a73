// Unit tests of the engine's building blocks: factors, singletons, collinearity, PSD fix, demeaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactCodes, interactCodes, interactMany, isNestedIn, countLevels } from '../../server/src/engine/factors';
import { dropSingletons } from '../../server/src/engine/singletons';
import { findCollinear } from '../../server/src/engine/collinear';
import { fixPsd, meatCluster, meatMultiway, scoreColumns } from '../../server/src/engine/vcov';
import { FixedEffects, demeanColumns } from '../../server/src/engine/demean';
import { selectSample } from '../../server/src/engine/sample';
import { close } from './helpers';

test('compactCodes renumbers on the sample, also for sparse raw identifiers', () => {
  const f = compactCodes('a', Int32Array.from([5, 3, 5, 9, 3]), Int32Array.from([1, 2, 4]));
  assert.deepEqual(Array.from(f.codes), [0, 1, 0]);
  assert.equal(f.nlevels, 2);
  const g = compactCodes('id', Int32Array.from([2_000_000_000, 7, 2_000_000_000]), Int32Array.from([0, 1, 2]));
  assert.deepEqual(Array.from(g.codes), [0, 1, 0]);
});

test('interactions a#b and a#b#c; missing stays missing', () => {
  const a = Int32Array.from([0, 0, 1, 1, -1]);
  const b = Int32Array.from([0, 1, 0, 1, 0]);
  const ab = interactCodes(a, b);
  assert.deepEqual(Array.from(ab), [0, 1, 2, 3, -1]);
  assert.equal(countLevels(ab), 4);
  const abc = interactMany([a, b, Int32Array.from([0, 0, 0, 1, 1])]);
  assert.deepEqual(Array.from(abc), [0, 1, 2, 3, -1]);
});

test('nesting of a FE in a cluster variable', () => {
  const county = { name: 'c', codes: Int32Array.from([0, 0, 1, 1, 2, 2]), nlevels: 3 };
  const state = { name: 's', codes: Int32Array.from([0, 0, 0, 0, 1, 1]), nlevels: 2 };
  const year = { name: 'y', codes: Int32Array.from([0, 1, 0, 1, 0, 1]), nlevels: 2 };
  assert.equal(isNestedIn(county, state), true);
  assert.equal(isNestedIn(state, county), false);
  assert.equal(isNestedIn(year, state), false);
});

test('iterative singleton removal follows chains', () => {
  // unit 2 is alone in year 3; dropping it leaves unit 1 alone (its other year was row 2)
  const unit = Int32Array.from([0, 0, 0, 1, 1, 2, 3, 3]);
  const year = Int32Array.from([0, 1, 2, 0, 3, 3, 0, 1]);
  const rows = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  const once = dropSingletons(rows, [unit, year], false);
  assert.deepEqual(Array.from(once.rows), [0, 1, 3, 4, 6, 7]);
  const it = dropSingletons(rows, [unit, year], true);
  assert.deepEqual(Array.from(it.rows), [0, 1, 6, 7]);
  assert.equal(it.removed, 4);
});

test('selectSample: if-sample, missing values, missing codes, zero weights', () => {
  const y = Float64Array.from([1, NaN, 3, 4, 5, 6]);
  const x = Float64Array.from([1, 2, 3, NaN, 5, 6]);
  const w = Float64Array.from([1, 1, 1, 1, 0, 1]);
  const s = selectSample({
    nrows: 6,
    columns: [{ name: 'y', values: y }, { name: 'x', values: x }],
    weights: w,
    fixedEffects: [],
    clusters: [{ name: 'c', codes: Int32Array.from([0, 0, 1, 1, 2, -1]) }],
    sample: Uint8Array.from([0, 1, 1, 1, 1, 1]),
    dropSingletons: true,
  });
  assert.deepEqual(Array.from(s.rows), [2]);
  assert.equal(s.missingRemoved, 4); // rows 1 (y), 3 (x), 4 (weight 0), 5 (cluster); row 0 is excluded by `if`
});

test('collinearity: FE-collinear and mutually collinear columns, in order', () => {
  // columns: a, b, a + b (collinear), c with tiny demeaned variance relative to its raw variance
  const xtx = Float64Array.from([
    4, 1, 5, 0,
    1, 2, 3, 0,
    5, 3, 8, 0,
    0, 0, 0, 1e-14,
  ]);
  const r = findCollinear(xtx, 4, Float64Array.from([4, 2, 8, 100]));
  assert.deepEqual(r.keep, [0, 1]);
  assert.deepEqual(r.dropped, [2, 3]);
});

test('fixPsd zeroes negative eigenvalues', () => {
  // eigenvalues 3 and -1, eigenvectors (1,1)/sqrt2 and (1,-1)/sqrt2
  const { V, fixed } = fixPsd(Float64Array.from([1, 2, 2, 1]), 2);
  assert.equal(fixed, true);
  for (const v of V) close(v, 1.5, 'fixed entry', 1e-12);
  const ok = fixPsd(Float64Array.from([2, 1, 1, 2]), 2);
  assert.equal(ok.fixed, false);
  // reghdfe's rule: any negative eigenvalue, however small, is zeroed. Eigenvalues 2 and -1e-9:
  // V = U diag(2, -1e-9) U' with U the 45-degree rotation, fixed to diag(2, 0) in that basis
  const d = 1e-9;
  const tiny = fixPsd(Float64Array.from([(2 - d) / 2, (2 + d) / 2, (2 + d) / 2, (2 - d) / 2]), 2);
  assert.equal(tiny.fixed, true);
  for (const v of tiny.V) close(v, 1, 'fixed entry', 1e-12);
});

test('cluster meat from explicit scores equals the implicit (z, e, w) form', () => {
  const z = [Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([0.5, -1, 2, 0, 1])];
  const e = Float64Array.from([0.1, -0.2, 0.3, 0.05, -0.4]);
  const w = Float64Array.from([1, 2, 1, 0.5, 1]);
  const codes = Int32Array.from([0, 0, 1, 1, 2]);
  const a = meatCluster(scoreColumns(z, e, w), codes, 3);
  const b = meatCluster({ z, e, w }, codes, 3);
  a.forEach((v, i) => close(b[i], v, `meat ${i}`, 1e-14));
  const years = { name: 'y', codes: Int32Array.from([0, 1, 0, 1, 0]), nlevels: 2 };
  const cl = { name: 'c', codes, nlevels: 3 };
  const m2 = meatMultiway({ z, e, w }, [cl, years]);
  const m2b = meatMultiway(scoreColumns(z, e, w), [cl, years]);
  m2.forEach((v, i) => close(m2b[i], v, `multiway meat ${i}`, 1e-14));
});

test('demeaning with one FE is the group-mean deviation; weighted with two FEs is W-orthogonal to both', () => {
  const g = { name: 'g', codes: Int32Array.from([0, 0, 1, 1, 1]), nlevels: 2 };
  const r = demeanColumns([Float64Array.from([1, 3, 2, 4, 9])], [g]);
  assert.deepEqual(Array.from(r.columns[0]), [-1, 1, -3, -1, 4]);
  const h = { name: 'h', codes: Int32Array.from([0, 1, 0, 1, 1]), nlevels: 2 };
  const w = Float64Array.from([1, 2, 0.5, 1, 3]);
  const fe = new FixedEffects([g, h], w);
  const d = fe.demean(Float64Array.from([1, 3, 2, 4, 9]));
  for (const f of [g, h]) {
    const s = new Float64Array(2);
    d.values.forEach((v, i) => (s[f.codes[i]] += w[i] * v));
    for (const v of s) assert.ok(Math.abs(v) < 1e-12, `weighted group sum ${v}`);
  }
});
