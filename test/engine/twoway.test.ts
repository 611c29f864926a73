// The direct FE solve (engine/twoWay.ts: Schur complement on the few-level FEs) against exact
// dummy-variable regressions, on unbalanced, weighted, disconnected and redundant designs.
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

test('two FEs, weighted, two disconnected components: the exact weighted dummy-variable residuals, also with the year FE given twice (redundant levels pinned)', () => {
  const p = panel(60, 8, 0.25, true, 12);
  const direct = new FixedEffects([p.unit, p.year], p.w).demean(p.y);
  const twice = new FixedEffects([p.unit, p.year, { ...p.year, name: 'year2' }], p.w).demean(p.y);
  assert.equal(direct.converged, true);
  assert.equal(twice.converged, true);
  // full rank: every unit dummy, the year dummies less one per component (years 0 and 4)
  const years = dummyCols(p.year.codes, 8).filter((_, t) => t !== 0 && t !== 4);
  const ex = exactOls([...dummyCols(p.unit.codes, 60), ...years], p.y, p.w);
  let norm = 0;
  let diff = 0;
  let diff2 = 0;
  for (let i = 0; i < p.n; i++) {
    norm = Math.max(norm, Math.abs(ex.resid[i]));
    diff = Math.max(diff, Math.abs(direct.values[i] - ex.resid[i]));
    diff2 = Math.max(diff2, Math.abs(twice.values[i] - ex.resid[i]));
  }
  assert.ok(diff <= 1e-9 * norm, `direct vs exact: ${diff} (scale ${norm})`);
  assert.ok(diff2 <= 1e-9 * norm, `year twice vs exact: ${diff2} (scale ${norm})`);
  for (const f of [p.unit, p.year]) assert.ok(groupSumsWorst(direct.values, f, p.w) <= 1e-9 * norm * p.n, `${f.name} sums`);
});

test('a hard two-FE graph too large for the up-front direct solve: CG first, the direct solve once CG is slow, exact', () => {
  // 1,200 x 1,200 levels around a cycle: the dense factorization is not cheap next to 2,400 rows
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
  assert.ok(r.iterations > 20, `expected CG iterations first, got ${r.iterations}`);
  let norm = 0;
  for (const v of r.values) norm = Math.max(norm, Math.abs(v));
  for (const f of [a, b]) assert.ok(groupSumsWorst(r.values, f, null) <= 1e-8 * Math.max(norm, 1e-3), `${f.name} sums`);
});

test('two FEs, unbalanced, rows grouped by unit: the fused two-pass direct solve (demeanDirectFused) gives the exact residuals, cross products, means and centred sums of squares; unsorted rows and weights leave it', () => {
  const p = panel(50, 7, 0.35, false, 21);
  const x = Float64Array.from(p.y, (v, i) => v * 0.5 + Math.sin(i) * 3);
  const fe = new FixedEffects([p.unit, p.year]);
  const d = fe.demeanDirectFused([p.y, x]);
  assert.ok(d, 'the fused path applies to an unweighted panel sorted by unit');
  assert.equal(d.converged, true);
  const D = [...dummyCols(p.unit.codes, 50), ...dummyCols(p.year.codes, 7, 0)];
  const cols = [p.y, x];
  const exact = cols.map((c) => exactOls(D, c).resid);
  let worst = 0;
  for (let j = 0; j < 2; j++) for (let i = 0; i < p.n; i++) worst = Math.max(worst, Math.abs(d.columns.column(j)[i] - exact[j][i]));
  assert.ok(worst < 1e-10, `max |difference| ${worst}`);
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 2; b++) {
      let s = 0;
      for (let i = 0; i < p.n; i++) s += exact[a][i] * exact[b][i];
      assert.ok(Math.abs(d.cross[a * 2 + b] - s) <= 1e-9 * Math.abs(s), `cross ${a},${b}: ${d.cross[a * 2 + b]} vs ${s}`);
    }
  for (let j = 0; j < 2; j++) {
    const c = cols[j];
    const mean = c.reduce((s, v) => s + v, 0) / p.n;
    const ss = c.reduce((s, v) => s + (v - mean) ** 2, 0);
    assert.ok(Math.abs(d.centredSS[j] - ss) <= 1e-9 * ss, `centred SS ${d.centredSS[j]} vs ${ss}`);
    assert.ok(Math.abs(d.means[j] - mean) <= 1e-12 * Math.abs(mean), `mean ${d.means[j]} vs ${mean}`);
  }
  // rows not grouped by unit (reversed within the data): the fused path steps aside
  const perm = Int32Array.from({ length: p.n }, (_, i) => (i % 2 ? i : p.n - 1 - i - ((p.n - 1) % 2)));
  const shuffle = (codes: Int32Array) => Int32Array.from(perm, (k) => codes[k]);
  const unsorted = new FixedEffects([{ ...p.unit, codes: shuffle(p.unit.codes) }, { ...p.year, codes: shuffle(p.year.codes) }]);
  assert.equal(unsorted.demeanDirectFused([Float64Array.from(perm, (k) => p.y[k])]), null);
  assert.equal(new FixedEffects([p.unit, p.year], p.w).demeanDirectFused([p.y]), null);
});

test('three FEs, weighted, unbalanced, rows grouped by unit (the sweeps fuse the unit step): the exact weighted dummy-variable residuals', () => {
  const p = panel(40, 8, 0.3, false, 31);
  const grp = { name: 'grp#year', codes: Int32Array.from(p.unit.codes, (u, i) => (u % 5) * 8 + p.year.codes[i]), nlevels: 40 };
  const r = new FixedEffects([p.unit, p.year, grp], p.w).demean(p.y, { direct: false });
  assert.equal(r.converged, true);
  // full rank: unit dummies, then the group-year cells less one per group (the year dummies add nothing)
  const cells = dummyCols(grp.codes, 40).filter((_, k) => k % 8 !== 0);
  const ex = exactOls([...dummyCols(p.unit.codes, 40), ...cells], p.y, p.w);
  let worst = 0;
  for (let i = 0; i < p.n; i++) worst = Math.max(worst, Math.abs(r.values[i] - ex.resid[i]));
  assert.ok(worst < 1e-8, `max |difference| ${worst}`);
});
