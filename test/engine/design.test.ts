// The placebo re-estimation path: refit with a new treatment column equals a full estimate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareDesign } from '../../server/src/engine/design';
import { estimate } from '../../server/src/engine/estimate';
import type { RegressionInput, VcovSpec } from '../../server/src/engine/types';
import { rng, normal } from './exactols';
import { close } from './helpers';

/** A city x year panel like the study's (units x T), 4 controls, staggered treatment. */
function cityPanel(U: number, T: number, seed: number) {
  const r = rng(seed);
  const z = normal(r);
  const n = U * T;
  const city = new Int32Array(n);
  const year = new Int32Array(n);
  const prov = new Int32Array(n);
  const ce = Array.from({ length: U }, () => z());
  const adopt = Array.from({ length: U }, () => (r() < 0.4 ? 5 + Math.floor(r() * 10) : Infinity));
  const treat = new Float64Array(n);
  const controls = [0, 1, 2, 3].map(() => new Float64Array(n));
  const y = new Float64Array(n);
  for (let u = 0, i = 0; u < U; u++)
    for (let t = 0; t < T; t++, i++) {
      city[i] = u;
      year[i] = t;
      prov[i] = u % 30;
      treat[i] = t >= adopt[u] ? 1 : 0;
      for (const c of controls) c[i] = z() + 0.5 * ce[u];
      y[i] = 0.3 * treat[i] + controls.reduce((s, c, j) => s + (j + 1) * 0.1 * c[i], 0) + ce[u] + 0.1 * t + z();
    }
  const w = Float64Array.from({ length: n }, () => 0.5 + r());
  return { n, U, T, city, year, prov, treat, controls, y, w, r };
}

function placeboTreat(p: ReturnType<typeof cityPanel>, seed: number): Float64Array {
  const r = rng(seed);
  const adopt = Array.from({ length: p.U }, () => (r() < 0.4 ? 3 + Math.floor(r() * 12) : Infinity));
  return Float64Array.from({ length: p.n }, (_, i) => (p.year[i] >= adopt[p.city[i]] ? 1 : 0));
}

const vcovs: [string, (p: ReturnType<typeof cityPanel>) => VcovSpec][] = [
  ['cluster city', (p) => ({ type: 'cluster', clusters: [{ name: 'city', codes: p.city }] })],
  ['two-way cluster', (p) => ({ type: 'cluster', clusters: [{ name: 'prov', codes: p.prov }, { name: 'year', codes: p.year }] })],
  ['robust', () => ({ type: 'robust' })],
  ['iid', () => ({ type: 'iid' })],
];

for (const [label, mk] of vcovs) {
  for (const weighted of [false, true]) {
    test(`refit equals a full estimate (${label}${weighted ? ', weighted' : ''})`, () => {
      const p = cityPanel(120, 18, 4);
      const input: RegressionInput = {
        depvar: { name: 'y', values: p.y },
        regressors: [{ name: 'treat', values: p.treat }, ...p.controls.map((v, j) => ({ name: `c${j}`, values: v }))],
        fixedEffects: [{ name: 'city', codes: p.city }, { name: 'year', codes: p.year }],
        constant: false,
        vcov: mk(p),
        weights: weighted ? p.w : undefined,
      };
      const design = prepareDesign(input, 'treat');
      assert.equal(design.full.coefficients[0].term, 'treat');
      const same = design.refit(p.treat);
      const f0 = design.full.coefficients[0];
      close(same.estimate, f0.estimate, 'refit of the original', 1e-10);
      close(same.se, f0.se, 'refit se of the original', 1e-9);
      for (let s = 0; s < 3; s++) {
        const d = placeboTreat(p, 100 + s);
        const r = design.refit(d);
        const full = estimate({ ...input, regressors: [{ name: 'treat', values: d }, ...input.regressors.slice(1)] });
        const c = full.coefficients[0];
        close(r.estimate, c.estimate, 'estimate', 1e-9);
        close(r.se, c.se, 'se', 1e-9);
        close(r.t, c.t, 't', 1e-9);
        close(r.p, c.p, 'p', 1e-8);
        close(r.ci_low, c.ci_low, 'ci_low', 1e-9);
        close(r.ci_high, c.ci_high, 'ci_high', 1e-9);
        assert.equal(r.collinear, false);
      }
    });
  }
}

test('refit: a column collinear with the FEs is flagged, a missing value is an error', () => {
  const p = cityPanel(40, 10, 8);
  const input: RegressionInput = {
    depvar: { name: 'y', values: p.y },
    regressors: [{ name: 'treat', values: p.treat }, { name: 'c0', values: p.controls[0] }],
    fixedEffects: [{ name: 'city', codes: p.city }, { name: 'year', codes: p.year }],
    constant: false,
    vcov: { type: 'cluster', clusters: [{ name: 'city', codes: p.city }] },
  };
  const design = prepareDesign(input);
  const r = design.refit(Float64Array.from(p.city, (c) => (c % 2 ? 1 : 0)));
  assert.equal(r.collinear, true);
  assert.ok(Number.isNaN(r.estimate));
  const bad = Float64Array.from(p.treat);
  bad[3] = NaN;
  assert.throws(() => design.refit(bad), /missing or infinite in row 4/);
  assert.throws(() => prepareDesign(input, 'nope'), /not among the regressors/);
});
