// The fused multi-column direct solve for two FEs on a panel sorted by unit (FixedEffects.demeanDirectFused
// -> SmallFeSchur.demeanRunsMany, S built from the units' sets of years) against exact dummy-variable
// regressions (ml-matrix QR) and against the column-by-column direct solve (FixedEffects.demean).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FixedEffects } from '../../server/src/engine/demean';
import type { SampleFactor } from '../../server/src/engine/factors';
import { rng, normal, dummyCols, exactOls } from './exactols';

interface Panel {
  n: number;
  unit: SampleFactor;
  year: SampleFactor;
  ue: number[]; // unit effects
  te: number[]; // year effects
  z: () => number;
}

/** U units x T years sorted by unit, a share of cells dropped (each unit keeps year 0); `dup`: every 7th unit has its first year twice. */
function panel(U: number, T: number, drop: number, seed: number, dup = false): Panel {
  const r = rng(seed);
  const z = normal(r);
  const unit: number[] = [];
  const year: number[] = [];
  for (let u = 0; u < U; u++)
    for (let t = 0; t < T; t++) {
      if (t > 0 && r() < drop) continue;
      unit.push(u);
      year.push(t);
      if (dup && t === 0 && u % 7 === 3) {
        unit.push(u);
        year.push(t);
      }
    }
  const f = (name: string, codes: number[], nlevels: number): SampleFactor => ({ name, codes: Int32Array.from(codes), nlevels });
  return {
    n: unit.length,
    unit: f('unit', unit, U),
    year: f('year', year, T),
    ue: Array.from({ length: U }, () => 3 * z()),
    te: Array.from({ length: T }, () => z()),
    z,
  };
}

/** Columns with every case the fused path treats apart (see the test titles). */
function columns(p: Panel): { names: string[]; cols: Float64Array[] } {
  const { n, unit, year, ue, te, z } = p;
  const u = unit.codes;
  const t = year.codes;
  const x1 = Float64Array.from({ length: n }, (_, i) => ue[u[i]] + 2 * te[t[i]] + z());
  const x2 = Float64Array.from({ length: n }, (_, i) => 50 + 0.5 * ue[u[i]] - te[t[i]] + z());
  const nearYear = Float64Array.from({ length: n }, (_, i) => 7 * te[t[i]] + 1e-4 * z());
  const collinear = Float64Array.from({ length: n }, (_, i) => x1[i] + 2 * x2[i]);
  const inFe = Float64Array.from({ length: n }, (_, i) => 1000 + ue[u[i]] - 3 * te[t[i]]);
  const y = Float64Array.from({ length: n }, (_, i) => 1.5 * x1[i] - 0.7 * x2[i] + 0.2 * nearYear[i] + ue[u[i]] + te[t[i]] + z());
  return { names: ['x1', 'x2', 'nearYear', 'collinear', 'inFe', 'y'], cols: [x1, x2, nearYear, collinear, inFe, y] };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Solves the k x k system A b = c (Gaussian elimination with partial pivoting; A well conditioned here). */
function solve(A: number[][], c: number[]): number[] {
  const k = c.length;
  const M = A.map((row, i) => [...row, c[i]]);
  for (let j = 0; j < k; j++) {
    let piv = j;
    for (let i = j + 1; i < k; i++) if (Math.abs(M[i][j]) > Math.abs(M[piv][j])) piv = i;
    [M[j], M[piv]] = [M[piv], M[j]];
    for (let i = j + 1; i < k; i++) {
      const f = M[i][j] / M[j][j];
      for (let l = j; l <= k; l++) M[i][l] -= f * M[j][l];
    }
  }
  const b = new Array<number>(k).fill(0);
  for (let j = k - 1; j >= 0; j--) {
    let s = M[j][k];
    for (let l = j + 1; l < k; l++) s -= M[j][l] * b[l];
    b[j] = s / M[j][j];
  }
  return b;
}

/** Slopes of the last column on columns 0..2 (x1, x2, nearYear) from a p x p cross-product matrix. */
function slopes(cross: ArrayLike<number>, p: number): number[] {
  const idx = [0, 1, 2];
  return solve(
    idx.map((a) => idx.map((b) => cross[a * p + b])),
    idx.map((a) => cross[a * p + p - 1]),
  );
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

test('fused two-way direct solve, 6 columns (a near year effect, one collinear with two others, one inside the FE space): residuals, cross products, slopes, means and centred SS equal the exact dummy regression and the column-by-column solve', () => {
  const p = panel(120, 10, 0.15, 41);
  const { names, cols } = columns(p);
  const k = cols.length;
  const fe = new FixedEffects([p.unit, p.year]);
  const d = fe.demeanDirectFused(cols, {}, names);
  assert.ok(d, 'the fused path applies to an unweighted two-way panel sorted by unit');
  assert.equal(d.converged, true);
  assert.deepEqual(d.warnings, []);
  // iterations as each column alone reports them (the near year effect fails the check on rounding:
  // refined, then handed to CG)
  const alone = cols.map((c) => new FixedEffects([p.unit, p.year]).demeanDirectFused([c])!.iterations);
  assert.equal(d.iterations, Math.max(...alone));
  assert.equal(alone[0], 1);
  assert.ok(alone[2] > 1, `near year effect: ${alone[2]} iterations`);

  const D = [...dummyCols(p.unit.codes, 120), ...dummyCols(p.year.codes, 10, 0)];
  const exact = cols.map((c) => exactOls(D, c).resid);
  // column by column: the four-pass direct solve of each column on a fresh FixedEffects
  const single = cols.map((c) => new FixedEffects([p.unit, p.year]).demean(c).values);
  for (let j = 0; j < k; j++) {
    const scale = maxAbs(cols[j]);
    let worstExact = 0;
    let worstSingle = 0;
    for (let i = 0; i < p.n; i++) {
      worstExact = Math.max(worstExact, Math.abs(d.columns.column(j)[i] - exact[j][i]));
      worstSingle = Math.max(worstSingle, Math.abs(d.columns.column(j)[i] - single[j][i]));
    }
    assert.ok(worstExact <= 1e-12 * scale, `${names[j]}: max |fused - exact| ${worstExact} (scale ${scale})`);
    assert.ok(worstSingle <= 1e-12 * scale, `${names[j]}: max |fused - column by column| ${worstSingle} (scale ${scale})`);
  }
  // the column inside the FE space leaves rounding noise only
  assert.ok(maxAbs(d.columns.column(4)) <= 1e-11 * maxAbs(cols[4]), `inFe residual ${maxAbs(d.columns.column(4))}`);
  // cross products against the exact residuals' (relative to the Cauchy-Schwarz bound; the FE-space column absolute)
  const exactCross = exact.map((a) => exact.map((b) => dot(a, b)));
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      const got: number = d.cross[a * k + b];
      assert.equal(got, d.cross[b * k + a], `symmetric ${a},${b}`);
      if (a === 4 || b === 4) {
        assert.ok(Math.abs(got) <= 1e-18 * Math.sqrt(dot(cols[a], cols[a]) * dot(cols[b], cols[b])), `${names[a]}'${names[b]} = ${got}`);
        continue;
      }
      const bound = Math.sqrt(exactCross[a][a] * exactCross[b][b]);
      assert.ok(Math.abs(got - exactCross[a][b]) <= 1e-10 * bound, `${names[a]}'${names[b]}: ${got} vs ${exactCross[a][b]}`);
    }
  // the collinear column's products are those of x1 + 2 x2
  for (const b of [0, 1, 2, 5]) {
    const lin = d.cross[0 * k + b] + 2 * d.cross[1 * k + b];
    assert.ok(Math.abs(d.cross[3 * k + b] - lin) <= 1e-10 * Math.abs(d.cross[3 * k + 3]), `collinear'${names[b]}`);
  }
  // slopes of y on x1, x2, nearYear: fused cross products vs the exact residuals'
  const flat = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) flat[a * k + b] = exactCross[a][b];
  const bf = slopes(d.cross, k);
  const be = slopes(flat, k);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs(bf[j] - be[j]) <= 1e-10 * Math.abs(be[j]), `slope ${j}: ${bf[j]} vs ${be[j]}`);
  // the slopes are the ones of the data-generating process, roughly (a sanity check of the design)
  assert.ok(Math.abs(bf[0] - 1.5) < 0.1 && Math.abs(bf[1] + 0.7) < 0.1, `slopes ${bf}`);
  for (let j = 0; j < k; j++) {
    const c = cols[j];
    const mean = c.reduce((s, v) => s + v, 0) / p.n;
    const ss = c.reduce((s, v) => s + (v - mean) ** 2, 0);
    assert.ok(Math.abs(d.means[j] - mean) <= 1e-13 * Math.max(1, Math.abs(mean)), `${names[j]} mean ${d.means[j]} vs ${mean}`);
    assert.ok(Math.abs(d.centredSS[j] - ss) <= 1e-11 * ss, `${names[j]} centred SS ${d.centredSS[j]} vs ${ss}`);
  }
});

test('fused two-way direct solve with an odd number of columns (the last one paired with itself) and with a single column: the same columns and cross products as with all six', () => {
  const p = panel(90, 8, 0.2, 42);
  const { cols } = columns(p);
  const all = new FixedEffects([p.unit, p.year]).demeanDirectFused(cols)!;
  for (const pick of [[0, 1, 5, 2, 3], [2], [5, 0, 1]]) {
    const d = new FixedEffects([p.unit, p.year]).demeanDirectFused(pick.map((j) => cols[j]));
    assert.ok(d);
    const k = pick.length;
    pick.forEach((j, a) => {
      const scale = maxAbs(cols[j]);
      for (let i = 0; i < p.n; i++) assert.ok(Math.abs(d.columns.column(a)[i] - all.columns.column(j)[i]) <= 1e-13 * scale, `column ${j} row ${i}`);
      pick.forEach((j2, b) => {
        const bound = Math.sqrt(all.cross[j * 6 + j] * all.cross[j2 * 6 + j2]);
        assert.ok(Math.abs(d.cross[a * k + b] - all.cross[j * 6 + j2]) <= 1e-12 * bound, `cross ${j},${j2} of [${pick}]`);
      });
      assert.equal(d.means[a], all.means[j]);
      assert.equal(d.centredSS[a], all.centredSS[j]);
    });
  }
});

test('fused two-way direct solve where S cannot come from the sets of years (a unit with a year twice; 34 years) or comes from a Map of them (20 years): exact dummy-variable residuals', () => {
  for (const [T, dup] of [
    [10, true],
    [20, false],
    [34, false],
  ] as const) {
    const p = panel(60, T, 0.2, 43 + T, dup);
    const { cols } = columns(p);
    const d = new FixedEffects([p.unit, p.year]).demeanDirectFused([cols[0], cols[5], cols[2]]);
    assert.ok(d, `T=${T}`);
    assert.equal(d.converged, true);
    const D = [...dummyCols(p.unit.codes, 60), ...dummyCols(p.year.codes, T, 0)];
    [0, 5, 2].forEach((j, a) => {
      const ex = exactOls(D, cols[j]).resid;
      let worst = 0;
      for (let i = 0; i < p.n; i++) worst = Math.max(worst, Math.abs(d.columns.column(a)[i] - ex[i]));
      assert.ok(worst <= 1e-12 * maxAbs(cols[j]), `T=${T} dup=${dup} column ${j}: ${worst}`);
    });
  }
});

test('fused two-way direct solve on columns dominated by huge unit effects (rounding fails the first check): refined, converged, exact, cross products of the refined columns', () => {
  const p = panel(80, 10, 0.2, 44);
  const { cols } = columns(p);
  const u = p.unit.codes;
  const big = Float64Array.from(cols[0], (v, i) => v + 1e9 * (1 + (u[i] % 13)));
  const d = new FixedEffects([p.unit, p.year]).demeanDirectFused([big, cols[5]]);
  assert.ok(d);
  assert.equal(d.converged, true);
  const D = [...dummyCols(p.unit.codes, 80), ...dummyCols(p.year.codes, 10, 0)];
  // the residual of `big` is that of cols[0] (the unit effects are absorbed), up to the rounding of 1e9-sized values
  const ex = exactOls(D, cols[0]).resid;
  let worst = 0;
  for (let i = 0; i < p.n; i++) worst = Math.max(worst, Math.abs(d.columns.column(0)[i] - ex[i]));
  assert.ok(worst <= 1e-5, `max |difference| ${worst}`);
  const c01 = dot(d.columns.column(0), d.columns.column(1));
  const c00 = dot(d.columns.column(0), d.columns.column(0));
  assert.ok(Math.abs(d.cross[1] - c01) <= 1e-12 * Math.sqrt(c00 * d.cross[3]), `cross 0,1 ${d.cross[1]} vs ${c01}`);
  assert.ok(Math.abs(d.cross[0] - c00) <= 1e-12 * c00, `cross 0,0 ${d.cross[0]} vs ${c00}`);
});

test('two FEs, rows not grouped by unit (the sets of years OR-ed over scattered rows), with and without a unit having a year twice: the column-by-column direct solve gives the exact dummy-variable residuals, and the fused path steps aside', () => {
  for (const dup of [false, true]) {
    const p = panel(50, 10, 0.2, 45, dup);
    const { cols } = columns(p);
    // a fixed interleaving of the rows: even positions from the front, odd ones from the back
    const perm = Int32Array.from({ length: p.n }, (_, i) => (i % 2 ? p.n - 1 - (i >> 1) : i >> 1));
    const shuffle = (codes: Int32Array) => Int32Array.from(perm, (k) => codes[k]);
    const unit = { ...p.unit, codes: shuffle(p.unit.codes) };
    const year = { ...p.year, codes: shuffle(p.year.codes) };
    const y = Float64Array.from(perm, (k) => cols[5][k]);
    const fe = new FixedEffects([unit, year]);
    assert.equal(fe.demeanDirectFused([y]), null);
    const r = fe.demean(y);
    assert.equal(r.converged, true);
    assert.ok(r.iterations <= 3, `dup=${dup}: ${r.iterations} iterations (the direct solve, not CG)`);
    const ex = exactOls([...dummyCols(unit.codes, 50), ...dummyCols(year.codes, 10, 0)], y).resid;
    let worst = 0;
    for (let i = 0; i < p.n; i++) worst = Math.max(worst, Math.abs(r.values[i] - ex[i]));
    assert.ok(worst <= 1e-12 * maxAbs(y), `dup=${dup}: max |difference| ${worst}`);
  }
});
