// Bad input gives an EstimationError with a clear message, never a crash, hang or NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate } from '../../server/src/engine/estimate';
import { EstimationError, type RegressionInput } from '../../server/src/engine/types';
import { close } from './helpers';

const n = 12;
const unit = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 3));
const year = Int32Array.from({ length: n }, (_, i) => i % 3);
const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + i / 10);
const y = Float64Array.from({ length: n }, (_, i) => 2 * x[i] + Math.cos(i * 2.3) + unit[i]);

function model(over: Partial<RegressionInput> = {}): RegressionInput {
  return {
    depvar: { name: 'y', values: y },
    regressors: [{ name: 'x', values: x }],
    fixedEffects: [{ name: 'unit', codes: unit }, { name: 'year', codes: year }],
    constant: false,
    vcov: { type: 'iid' },
    ...over,
  };
}

function throwsEst(input: RegressionInput, re: RegExp) {
  assert.throws(
    () => estimate(input),
    (e: unknown) => e instanceof EstimationError && re.test(e.message),
  );
}

test('a valid model gives finite numbers only', () => {
  const core = estimate(model({ vcov: { type: 'cluster', clusters: [{ name: 'unit', codes: unit }] } }));
  for (const c of core.coefficients) for (const v of Object.values(c)) if (typeof v === 'number') assert.ok(Number.isFinite(v));
  for (const k of ['r2', 'adj_r2', 'rmse', 'sigma', 'ssr', 'nobs', 'df_t', 'df_k'] as const) assert.ok(Number.isFinite(core[k] as number), k);
});

test('no observations left', () => {
  throwsEst(model({ depvar: { name: 'y', values: new Float64Array(n).fill(NaN) } }), /no observations/);
  throwsEst(model({ sample: new Uint8Array(n) }), /no observations/);
});

test('constant dependent variable', () => {
  throwsEst(model({ depvar: { name: 'y', values: new Float64Array(n).fill(3) } }), /dependent variable y is constant/);
});

test('all regressors collinear (with the FEs)', () => {
  throwsEst(model({ regressors: [{ name: 'u2', values: Float64Array.from(unit, (u) => u * 2 + 1) }] }), /all regressors are collinear with the fixed effects: u2/);
});

test('regressor collinear with another is omitted, the rest estimated', () => {
  const core = estimate(model({ regressors: [{ name: 'x', values: x }, { name: 'x2', values: x.map((v) => 3 * v) }] }));
  assert.deepEqual(core.omitted, [{ term: 'x2', reason: 'collinear' }]);
  assert.deepEqual(core.coefficients.map((c) => c.term), ['x']);
});

test('cluster variable with one level', () => {
  throwsEst(model({ vcov: { type: 'cluster', clusters: [{ name: 'one', codes: new Int32Array(n) }] } }), /cluster variable one has a single level/);
});

test('fixed effect with as many levels as rows', () => {
  throwsEst(model({ fixedEffects: [{ name: 'id', codes: Int32Array.from({ length: n }, (_, i) => i) }], dropSingletons: false }), /fixed effect id has as many levels \(12\) as observations \(12\)/);
  // with singleton removal every row is a singleton
  throwsEst(model({ fixedEffects: [{ name: 'id', codes: Int32Array.from({ length: n }, (_, i) => i) }] }), /no observations left after dropping singleton/);
});

test('infinite values', () => {
  const bad = Float64Array.from(x);
  bad[4] = Infinity;
  throwsEst(model({ regressors: [{ name: 'x', values: bad }] }), /variable x has an infinite value in row 5/);
  const w = new Float64Array(n).fill(1);
  w[2] = Infinity;
  throwsEst(model({ weights: w }), /infinite value in row 3/);
});

test('negative weights', () => {
  const w = new Float64Array(n).fill(1);
  w[0] = -1;
  throwsEst(model({ weights: w }), /weights must not be negative/);
});

test('more parameters than observations', () => {
  throwsEst(
    model({
      regressors: [0, 1, 2, 3, 4, 5].map((k) => ({ name: `z${k}`, values: Float64Array.from({ length: n }, (_, i) => Math.sin(i * (k + 1.3)) + Math.cos(i * i * 0.37 * (k + 1))) })),
      dropSingletons: false,
    }),
    /not enough observations|collinear/,
  );
});

test('perfect fit', () => {
  throwsEst(model({ depvar: { name: 'y', values: Float64Array.from(x, (v, i) => 2 * v + unit[i]) } }), /perfect fit/);
});

test('mismatched lengths and clustering without a variable', () => {
  throwsEst(model({ regressors: [{ name: 'x', values: new Float64Array(5) }] }), /variable x has 5 rows, expected 12/);
  throwsEst(model({ vcov: { type: 'cluster', clusters: [] } }), /need a cluster variable/);
});

test('missing values are dropped and counted before singletons', () => {
  const yy = Float64Array.from(y);
  yy[0] = NaN;
  const core = estimate(model({ depvar: { name: 'y', values: yy } }));
  assert.equal(core.missing_removed, 1);
  assert.equal(core.nobs, n - 1);
  const codes = Int32Array.from(unit);
  codes[5] = -1;
  const c2 = estimate(model({ fixedEffects: [{ name: 'unit', codes }, { name: 'year', codes: year }] }));
  assert.equal(c2.missing_removed, 1);
  assert.ok(!Array.from(c2.sampleRows).includes(5));
});

test('models without regressors: FE only, or a constant only', () => {
  const fe = estimate(model({ regressors: [], vcov: { type: 'cluster', clusters: [{ name: 'unit', codes: unit }] } }));
  assert.deepEqual(fe.coefficients, []);
  assert.ok(fe.r2 > 0 && fe.r2 < 1);
  assert.equal(fe.f, null);
  const cons = estimate(model({ regressors: [], fixedEffects: [], constant: true, vcov: { type: 'robust' } }));
  assert.equal(cons.coefficients.length, 1);
  assert.equal(cons.coefficients[0].term, '_cons');
  close(cons.coefficients[0].estimate, y.reduce((s, v) => s + v, 0) / n, 'mean of y', 1e-12);
  // HC1 SE of a mean: sqrt(sum e^2 / (n (n-1)))
  const m = cons.coefficients[0].estimate;
  close(cons.coefficients[0].se, Math.sqrt(y.reduce((s, v) => s + (v - m) ** 2, 0) / (n * (n - 1))), 'se of mean', 1e-12);
  throwsEst(model({ regressors: [], fixedEffects: [], constant: false }), /nothing to estimate/);
});
