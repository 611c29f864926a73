// The direct two-FE solve (engine/twoWay.ts: Schur complement on the few-level FE) against an exact
// dummy-variable regression and against conjugate gradients, on unbalanced, weighted and disconnected panels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedEffects } from '../../server/src/engine/demean';
import type { SampleFactor } from '../../server/src/engine/factors';
import { rng, normal, dummyCols, exactOls } from './exactols';

/** units x years with a share of cells dropped; `split`: units of the second half only see the second half of the years (two components). */
function panel(U: number, T: number, drop: number, split: boolean, seed: number) {
  const r = rng(seed);
  const z = normal(r);
  const unit: number[] = [];
  const year: number[] = [];
  for (let u = 0; u < U; u++)
    for (let t = 0; t < T; t++) {
      if (split && (u < U / 2) !== (t < T / 2)) continue;
      if (r() < drop && !(t === 0 || t === T / 2)) continue; // every unit keeps a first year: no empty unit
      unit.push(u);
      year.push(t);
    }
  const n = unit.length;
  const ue = Array.from({ length: U }, () => 3 * z());
  const te = Array.from({ length: T }, () => z());
  const y = Float64Array.from({ length: n }, (_, i) => 100 + ue[unit[i]] + te[year[i]] + z());
  const w = Float64Array.from({ length: n }, () => 0.5 + r());
  const f = (name: string, codes: number[], nlevels: number): SampleFactor => ({ name, codes: Int32Array.from(codes), nlevels });
  return { n, y, w, unit: f('unit', unit, U), year: f('year', year, T) };
}

function groupSumsWorst(v: Float64Array, f: SampleFactor, w: Float64Array | null): number {
  const s = new Float64Array(f.nlevels);
  for (let i = 0; i < v.length; i++) s[f.codes[i]] += (w ? w[i] : 1) * v[i];
  return Math.max(...Array.from(s, Math.abs));
}

test('two FEs, unbalanced: the direct solve equals the exact dummy-variable residuals', () => {
  const p = panel(40, 9, 0.3, false, 11);
  const r = new FixedEffects([p.unit, p.year]).demean(p.y);
  assert.equal(r.converged, true);
  assert.ok(r.iterations <= 3, `iterations ${r.iterations}`);
  const ex = exactOls([...dummyCols(p.unit.codes, 40), ...dummyCols(p.year.codes, 9, 0)], p.y);
  let worst = 0;
  for (let i = 0; i < p.n; i++) worst = Math.max(worst, Math.abs(r.values[i] - ex.resid[i]));
  assert.ok(worst < 1e-10, `max |difference| ${worst}`);
});

test('two FEs, weighted, two disconnected components: direct solve matches CG and is orthogonal to every dummy', () => {
  const p = panel(60, 8, 0.25, true, 12);
  const direct = new FixedEffects([p.unit, p.year], p.w).demean(p.y);
  // the same FE space with the year FE given twice: three factors, so conjugate gradients
  const cg = new FixedEffects([p.unit, p.year, { ...p.year, name: 'year2' }], p.w).demean(p.y, { tolerance: 1e-14 });
  assert.equal(direct.converged, true);
  assert.equal(cg.converged, true);
  let norm = 0;
  let diff = 0;
  for (let i = 0; i < p.n; i++) {
    norm = Math.max(norm, Math.abs(cg.values[i]));
    diff = Math.max(diff, Math.abs(direct.values[i] - cg.values[i]));
  }
  assert.ok(diff <= 1e-9 * norm, `direct vs CG: ${diff} (scale ${norm})`);
  for (const f of [p.unit, p.year]) assert.ok(groupSumsWorst(direct.values, f, p.w) <= 1e-9 * norm * p.n, `${f.name} sums`);
});

test('two FEs where the smaller has more levels than the direct solver takes: CG, still exact', () => {
  // 1,200 x 1,200 levels along a chain: too many for the dense Schur complement
  const U = 1200;
  const unit: number[] = [];
  const firm: number[] = [];
  for (let u = 0; u < U; u++) for (const f of [u, (u + 1) % U]) {
    unit.push(u);
    firm.push(f);
  }
  const z = normal(rng(5));
  const y = Float64Array.from({ length: unit.length }, () => z());
  const a: SampleFactor = { name: 'u', codes: Int32Array.from(unit), nlevels: U };
  const b: SampleFactor = { name: 'f', codes: Int32Array.from(firm), nlevels: U };
  const r = new FixedEffects([a, b]).demean(y);
  assert.equal(r.converged, true);
  assert.ok(r.iterations > 3, `expected CG iterations, got ${r.iterations}`);
  let norm = 0;
  for (const v of r.values) norm = Math.max(norm, Math.abs(v));
  for (const f of [a, b]) assert.ok(groupSumsWorst(r.values, f, null) <= 1e-8 * Math.max(norm, 1e-3), `${f.name} sums`);
});
