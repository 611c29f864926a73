// The fused forward sweep of several columns (engine/fusedSweep.ts via FixedEffects.demeanSweepFused)
// against the column-by-column sweep and CG (FixedEffects.demeanMany) on random three-FE panels: the
// demeaned columns, their cross products, iterations, convergence and warnings, plus the means and
// centred sums of squares it also returns; and a whole model through either path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedEffects } from '../../server/src/engine/demean';
import { crossProducts } from '../../server/src/engine/linalg';
import { estimate } from '../../server/src/engine/estimate';
import type { SampleFactor } from '../../server/src/engine/factors';
import { rng, normal } from './exactols';
import { makeHardGraph } from '../../bench/hardGraph';

const factor = (name: string, codes: number[]): SampleFactor => ({ name, codes: Int32Array.from(codes), nlevels: Math.max(...codes) + 1 });

/** Columns with FE-driven levels and noise; `inSpan`: the last column is a sum of unit and time effects (collinear with the FEs). */
function columns(fes: SampleFactor[], p: number, seed: number, inSpan = false): Float64Array[] {
  const z = normal(rng(seed));
  const n = fes[0].codes.length;
  const effects = fes.map((f) => Array.from({ length: f.nlevels }, () => 5 * z()));
  return Array.from({ length: p }, (_, j) => {
    const pure = inSpan && j === p - 1;
    return Float64Array.from({ length: n }, (_, i) => {
      let v = pure ? 0 : 50 + z();
      fes.forEach((f, q) => (v += ((j + q) % 3 === 0 ? 1 : -0.5) * effects[q][f.codes[i]]));
      return v;
    });
  });
}

/** Units x years with a share of (unit, year) cells dropped; a third FE from `third(unit, year)`. Rows sorted by unit. */
function panel(U: number, T: number, drop: number, seed: number, third: (u: number, t: number, r: () => number) => number) {
  const r = rng(seed);
  const unit: number[] = [];
  const year: number[] = [];
  const other: number[] = [];
  for (let u = 0; u < U; u++)
    for (let t = 0; t < T; t++) {
      if (t > 1 && r() < drop) continue; // every unit keeps two years: no singleton
      unit.push(u);
      year.push(t);
      other.push(third(u, t, r));
    }
  return [factor('unit', unit), factor('year', year), factor('third', other)];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** Runs both paths on fresh FixedEffects and asserts they agree; returns the fused result. */
function compare(fes: SampleFactor[], cols: Float64Array[], what: string, opts: { maxIterations?: number; direct?: boolean } = {}) {
  const names = cols.map((_, j) => `c${j}`);
  const fused = new FixedEffects(fes).demeanSweepFused(cols, opts, names);
  assert.ok(fused, `${what}: the fused path applies`);
  const old = new FixedEffects(fes).demeanMany(cols, opts, names);
  assert.equal(fused.iterations, old.iterations, `${what}: iterations`);
  assert.equal(fused.converged, old.converged, `${what}: converged`);
  assert.deepEqual(fused.warnings.map((w) => w.replace(/relative residual \S+/, '')), old.warnings.map((w) => w.replace(/relative residual \S+/, '')), `${what}: warnings`);
  const n = cols[0].length;
  cols.forEach((x, j) => {
    // relative to the demeaned column's scale; a column in the FE space leaves rounding noise, compared
    // at the rounding level of the column itself (1e-10 x 1e-5 |x|)
    const scale = Math.max(maxAbs(old.columns[j]), 1e-5 * maxAbs(x));
    let diff = 0;
    for (let i = 0; i < n; i++) diff = Math.max(diff, Math.abs(fused.columns.column(j)[i] - old.columns[j][i]));
    assert.ok(diff <= 1e-10 * scale, `${what}: column ${j} differs by ${diff} (scale ${scale})`);
    let s1 = 0;
    let mean = 0;
    for (const v of x) mean += v / n;
    for (const v of x) s1 += (v - mean) ** 2;
    assert.ok(Math.abs(fused.means[j] - mean) <= 1e-12 * Math.abs(mean), `${what}: mean ${j}`);
    assert.ok(Math.abs(fused.centredSS[j] - s1) <= 1e-10 * s1, `${what}: centred SS ${j}`);
  });
  const p = cols.length;
  const cp = crossProducts(old.columns, old.columns, null);
  // each column's norm, at least the rounding level of the column itself (as above)
  const norm = cols.map((x, j) => Math.sqrt(Math.max(cp[j * p + j], 1e-10 * x.reduce((s, v) => s + v * v, 0))));
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      const scale = norm[a] * norm[b];
      assert.ok(Math.abs(fused.cross[a * p + b] - cp[a * p + b]) <= 1e-10 * scale, `${what}: cross ${a},${b}: ${fused.cross[a * p + b]} vs ${cp[a * p + b]}`);
    }
  return fused;
}

test('three FEs on a complete three-way grid (one sweep is exact): the fused sweep equals the column-by-column one, odd and even column counts', () => {
  // a x b x c, every combination once, rows grouped by a: the three projections commute
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < 30; i++) for (let j = 0; j < 7; j++) for (let k = 0; k < 4; k++) {
    a.push(i);
    b.push(j);
    c.push(k);
  }
  const fes = [factor('a', a), factor('b', b), factor('c', c)];
  for (const p of [5, 6]) {
    const f = compare(fes, columns(fes, p, 3 + p), `grid, ${p} columns`);
    assert.equal(f.iterations, 1);
  }
});

test('unit, year and region#year (year nested in region#year: swept as two FEs), unbalanced: equals the column-by-column sweep', () => {
  const fes = panel(120, 8, 0.3, 4, (u, t) => (u % 6) * 8 + t);
  const f = compare(fes, columns(fes, 4, 9), 'unit year region#year');
  assert.equal(f.converged, true);
  // a balanced version: one sweep exact
  const bal = panel(120, 8, 0, 5, (u, t) => (u % 6) * 8 + t);
  assert.equal(compare(bal, columns(bal, 3, 10), 'balanced region#year').iterations, 1);
});

test('unit, year and a random firm (one sweep is not exact): CG continues from the fused sweep, with the same iterations as from the column-by-column sweep', () => {
  const fes = panel(150, 6, 0.25, 6, (_u, _t, r) => Math.floor(r() * 9));
  const f = compare(fes, columns(fes, 5, 11), 'unit year firm');
  assert.equal(f.converged, true);
  assert.ok(f.iterations > 1, `expected CG after the sweep, got ${f.iterations} iterations`);
  // cut off: not converged, reported the same way
  const cut = compare(fes, columns(fes, 3, 12), 'unit year firm, 2 iterations', { maxIterations: 2 });
  assert.equal(cut.converged, false);
  assert.equal(cut.warnings.length, 3);
});

test('a column in the span of the FEs (collinear with them): both paths leave rounding noise, and agree on the rest; also unsorted rows, four FEs, two FEs', () => {
  const fes = panel(80, 6, 0.2, 7, (u, t) => (u % 4) * 6 + t);
  const cols = columns(fes.slice(0, 2), 4, 13, true);
  const f = compare(fes, cols, 'collinear column');
  assert.ok(maxAbs(f.columns.column(3)) <= 1e-9 * maxAbs(cols[3]), `residual of the collinear column ${maxAbs(f.columns.column(3))}`);
  // the same, rows not grouped by unit (the first FE's means need their own pass) and four FEs
  const perm = Array.from({ length: fes[0].codes.length }, (_, i) => i).sort((x, y) => ((x * 7919) % 101) - ((y * 7919) % 101) || x - y);
  const shuffled = fes.map((f) => ({ ...f, codes: Int32Array.from(perm, (i) => f.codes[i]) }));
  const four = [...shuffled, factor('parity', perm.map((i) => (fes[0].codes[i] + fes[1].codes[i]) % 2))];
  const permuted = cols.map((c) => Float64Array.from(perm, (i) => c[i]));
  compare(four, permuted, 'four FEs, unsorted');
  // two FEs, CG only (the direct solve would take them otherwise), sorted and not
  compare(fes.slice(0, 2), cols, 'two FEs', { direct: false });
  compare(shuffled.slice(0, 2), permuted, 'two FEs, unsorted', { direct: false });
});

test('a three-FE model gives the same estimates through the fused sweep as through the weighted path with unit weights (column by column)', () => {
  const fes = panel(200, 7, 0.2, 8, (_u, _t, r) => Math.floor(r() * 5));
  const [y, x1, x2] = columns(fes, 3, 14);
  const fit = (weights?: Float64Array) =>
    estimate({
      depvar: { name: 'y', values: y },
      regressors: [{ name: 'x1', values: x1 }, { name: 'x2', values: x2 }],
      fixedEffects: fes.map((f) => ({ name: f.name, codes: f.codes })),
      constant: false,
      weights,
      vcov: { type: 'cluster', clusters: [{ name: 'unit', codes: fes[0].codes }] },
    });
  const a = fit();
  const b = fit(new Float64Array(y.length).fill(1));
  assert.equal(a.iterations, b.iterations);
  assert.equal(a.converged, true);
  for (let k = 0; k < 2; k++) {
    const ca = a.coefficients[k];
    const cb = b.coefficients[k];
    assert.ok(Math.abs(ca.estimate - cb.estimate) <= 1e-10 * Math.abs(cb.estimate), `${ca.term}: ${ca.estimate} vs ${cb.estimate}`);
    assert.ok(Math.abs(ca.se - cb.se) <= 1e-10 * cb.se, `${ca.term} se: ${ca.se} vs ${cb.se}`);
  }
  assert.ok(Math.abs(a.r2 - b.r2) <= 1e-12, 'r2');
  assert.ok(Math.abs(a.r2_within! - b.r2_within!) <= 1e-10, 'within r2');
});

test('a hard worker-firm-year graph (bench/hardGraph.ts, small) through a whole model: the fused sweep, CG and then the direct solve converge to the column-by-column path', () => {
  const g = makeHardGraph(2000, 6, 120, 0.02, 5);
  const fit = (weights?: Float64Array) =>
    estimate({
      depvar: { name: 'y', values: g.y },
      regressors: g.x.map((values, j) => ({ name: `x${j + 1}`, values })),
      fixedEffects: [
        { name: 'worker', codes: g.worker },
        { name: 'firm', codes: g.firm },
        { name: 'year', codes: g.year },
      ],
      constant: false,
      weights,
      vcov: { type: 'cluster', clusters: [{ name: 'worker', codes: g.worker }] },
    });
  const a = fit();
  const b = fit(new Float64Array(g.n).fill(1));
  assert.equal(a.converged, true);
  assert.ok(a.iterations > 1, `one sweep cannot be exact on this graph (${a.iterations} iterations)`);
  assert.equal(a.iterations, b.iterations);
  a.coefficients.forEach((ca, k) => {
    const cb = b.coefficients[k];
    assert.ok(Math.abs(ca.estimate - cb.estimate) <= 1e-9 * Math.abs(cb.estimate), `${ca.term}: ${ca.estimate} vs ${cb.estimate}`);
    assert.ok(Math.abs(ca.se - cb.se) <= 1e-9 * cb.se, `${ca.term} se: ${ca.se} vs ${cb.se}`);
  });
});

test('every FE but one nested in another (absorb(g year g#year)): the model runs and equals absorb(g#year) alone', () => {
  const r = rng(31);
  const z = normal(r);
  const n = 600;
  const g = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 5) % 6);
  const year = Int32Array.from({ length: n }, (_, i) => i % 5);
  const gy = Int32Array.from({ length: n }, (_, i) => g[i] * 5 + year[i]);
  const unit = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 5));
  const x = Float64Array.from({ length: n }, () => z());
  const y = Float64Array.from({ length: n }, (_, i) => 0.5 * x[i] + g[i] + 0.3 * year[i] + z());
  const fit = (fes: { name: string; codes: Int32Array }[]) =>
    estimate({ depvar: { name: 'y', values: y }, regressors: [{ name: 'x', values: x }], fixedEffects: fes, constant: true, vcov: { type: 'cluster', clusters: [{ name: 'unit', codes: unit }] } });
  const three = fit([{ name: 'g', codes: g }, { name: 'year', codes: year }, { name: 'g#year', codes: gy }]);
  const one = fit([{ name: 'g#year', codes: gy }]);
  assert.equal(three.converged, true);
  assert.ok(Math.abs(three.coefficients[0].estimate - one.coefficients[0].estimate) <= 1e-12 * Math.abs(one.coefficients[0].estimate));
  assert.ok(Math.abs(three.r2 - one.r2) <= 1e-12);
});
