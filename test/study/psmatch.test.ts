import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, solve } from 'ml-matrix';
import { fitLogit, SeparationError } from '../../server/src/engine/study/logit';
import { nearest, psMatch } from '../../server/src/engine/study/psmatch';
import { readCsv, rel } from './helpers';

const F = (a: number[]) => Float64Array.from(a);

test('logit: one binary covariate gives the log odds ratio (closed form)', () => {
  // x = 0: 3 of 10 treated -> _cons = ln(3/7); x = 1: 6 of 8 -> slope = ln(6/2) - ln(3/7) = ln 7
  const x = [...Array(10).fill(0), ...Array(8).fill(1)];
  const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0];
  const f = fitLogit(F(y), [{ name: 'x', values: F(x) }]);
  assert.deepEqual(f.names, ['x', '_cons']);
  assert.ok(Math.abs(f.coefficients[0] - Math.log(7)) < 1e-9, `${f.coefficients[0]}`);
  assert.ok(Math.abs(f.coefficients[1] - Math.log(3 / 7)) < 1e-9);
  // SE of a log odds ratio: sqrt(1/3 + 1/7 + 1/6 + 1/2)
  assert.ok(Math.abs(f.se[0] - Math.sqrt(1 / 3 + 1 / 7 + 1 / 6 + 1 / 2)) < 1e-7);
});

test('logit on mpdta matches an independent ml-matrix Newton iteration', () => {
  const d = readCsv('test/reference/data/mpdta.csv');
  const y = d.num('treat').values, x1 = d.num('lpop').values, x2 = d.num('lemp').values;
  const f = fitLogit(y, [{ name: 'lpop', values: x1 }, { name: 'lemp', values: x2 }]);
  const n = y.length;
  const X = new Matrix(Array.from({ length: n }, (_, i) => [x1[i], x2[i], 1]));
  let b = Matrix.zeros(3, 1);
  for (let it = 0; it < 50; it++) {
    const eta = X.mmul(b);
    const p = eta.to1DArray().map((e) => 1 / (1 + Math.exp(-e)));
    const g = X.transpose().mmul(Matrix.columnVector(p.map((pi, i) => y[i] - pi)));
    const W = X.clone();
    for (let i = 0; i < n; i++) for (let j = 0; j < 3; j++) W.set(i, j, W.get(i, j) * p[i] * (1 - p[i]));
    b = b.add(solve(X.transpose().mmul(W), g));
  }
  b.to1DArray().forEach((v, j) => assert.ok(rel(f.coefficients[j], v) < 1e-8, `coef ${j}: ${f.coefficients[j]} vs ${v}`));
});

test('logit: perfect separation and constant covariates are clear errors', () => {
  assert.throws(() => fitLogit(F([0, 0, 0, 1, 1, 1]), [{ name: 'x', values: F([1, 2, 3, 4, 5, 6]) }]), SeparationError);
  assert.throws(() => fitLogit(F([0, 0, 0, 1, 1, 1]), [{ name: 'x', values: F([1, 2, 3, 4, 5, 6]) }]), /perfect separation/);
  // quasi-complete: x = 3 has both outcomes
  assert.throws(() => fitLogit(F([0, 0, 0, 1, 1, 1, 1]), [{ name: 'x', values: F([1, 2, 3, 3, 4, 5, 6]) }]), /perfect separation/);
  assert.throws(() => fitLogit(F([0, 1, 0, 1]), [{ name: 'k', values: F([2, 2, 2, 2]) }]), /collinear/);
  assert.throws(() => fitLogit(F([0, 0, 0]), [{ name: 'x', values: F([1, 2, 3]) }]), /always 0/);
});

test('nearest-neighbour search: known matches, k = 2, caliper, ties to the earlier row', () => {
  const cs = F([0.1, 0.2, 0.35, 0.5, 0.9]);
  const cr = Int32Array.from([10, 11, 12, 13, 14]);
  assert.deepEqual(nearest(0.33, cs, cr, 1, Infinity), [2]);
  assert.deepEqual(nearest(0.33, cs, cr, 2, Infinity).sort(), [1, 2]);
  assert.deepEqual(nearest(0.7, cs, cr, 1, 0.1), []); // 0.5 and 0.9 are 0.2 away
  assert.deepEqual(nearest(0.7, cs, cr, 1, 0.25), [3]); // tie 0.2/0.2 -> row 13 comes first
  assert.deepEqual(nearest(0.95, cs, cr, 3, 0.5), [4, 3]); // only two within 0.5
  assert.deepEqual(nearest(0.0, cs, cr, 1, Infinity), [0]);
});

test('psmatch on a tiny hand-made dataset: matches, caliper, balance', () => {
  // one covariate; the score is monotone in x, so a treated row at x sits between the controls around x
  const x = F([0, 1, 2, 10, 11, 12, 1.1, 10.9, 30]);
  const tr = F([0, 0, 0, 0, 0, 0, 1, 1, 1]);
  const r = psMatch({ treat: { name: 't', values: tr }, covariates: [{ name: 'x', values: x }] });
  // the treated at 1.1 and 10.9 have their nearest control at x = 1 and x = 11; 30 is matched to 12
  const ps = r.pscore;
  const nearestCtrl = (i: number) => [0, 1, 2, 3, 4, 5].sort((a, b) => Math.abs(ps[a] - ps[i]) - Math.abs(ps[b] - ps[i]))[0];
  assert.equal(nearestCtrl(6), 1);
  assert.deepEqual(Array.from(r.matched), [0, 1, 0, 0, 0, 0, 1, 1, 1].map((v, i) => (i === nearestCtrl(7) || i === nearestCtrl(8) ? 1 : v)));
  assert.equal(r.treated_matched, 3);
  assert.equal(r.rows_kept, r.treated_matched + r.controls_used);
  // caliper tighter than the gap of the x = 30 row removes it
  const gap = Math.abs(ps[8] - ps[nearestCtrl(8)]);
  const c = psMatch({ treat: { name: 't', values: tr }, covariates: [{ name: 'x', values: x }], caliper: gap / 2 });
  assert.equal(c.matched[8], 0);
  assert.ok(c.treated_unmatched >= 1);
  assert.ok(c.warnings.some((w) => /within the caliper/.test(w)));
  // balance before: treated mean of x = (1.1 + 10.9 + 30)/3, control mean = 6
  const b = r.balance[0];
  assert.ok(Math.abs(b.mean_treated_before - 14) < 1e-12);
  assert.ok(Math.abs(b.mean_control_before - 6) < 1e-12);
  const vt = ((1.1 - 14) ** 2 + (10.9 - 14) ** 2 + (30 - 14) ** 2) / 2;
  const vc = [0, 1, 2, 10, 11, 12].reduce((s, v) => s + (v - 6) ** 2, 0) / 5;
  assert.ok(Math.abs(b.smd_before - 8 / Math.sqrt((vt + vc) / 2)) < 1e-12);
});

test('psmatch by group never matches across groups; neighbors(2); errors', () => {
  const x = F([0, 1, 2, 3, 1.5, 0.2, 1.2, 2.2, 3.3, 1.4]);
  const tr = F([0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  const g = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  const r = psMatch({ treat: { name: 't', values: tr }, covariates: [{ name: 'x', values: x }], by: { name: 'year', codes: g }, neighbors: 2 });
  assert.equal(r.groups.length, 2);
  assert.equal(r.treated_matched, 2);
  assert.equal(r.controls_used, 4);
  for (let i = 0; i < 10; i++) if (r.matched[i] && tr[i] === 0) assert.ok(i < 5 ? r.matched[4] : r.matched[9]);
  assert.equal([0, 1, 2, 3].filter((i) => r.matched[i]).length, 2);
  assert.equal([5, 6, 7, 8].filter((i) => r.matched[i]).length, 2);
  assert.throws(() => psMatch({ treat: { name: 't', values: F([0, 2]) }, covariates: [{ name: 'x', values: F([1, 2]) }] }), /must be 0\/1/);
  assert.throws(
    () => psMatch({ treat: { name: 't', values: F([0, 0, 1, 1, 0, 1]) }, covariates: [{ name: 'x', values: F([1, 2, 3, 4, 1, 2]) }], by: { name: 'g', codes: Int32Array.from([0, 0, 0, 0, 1, 1]) } }),
    /perfect separation.*group g=0/,
  );
});
