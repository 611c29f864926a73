// The balanced two-way path (every unit in every year, no weights): demeaned columns held as raw values
// less unit and time terms (engine/additiveColumns.ts) and made block by block, against exact
// dummy-variable OLS; what is stored whole (nothing for iid and one-way clustering), and the columns a
// caller asks for (robust scores, two-way clustering, the bootstrap's xTilde) equal to a direct demeaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimate, estimatePrepared } from '../../server/src/engine/estimate';
import { prepareModel } from '../../server/src/engine/model';
import { FixedEffects } from '../../server/src/engine/demean';
import { crossProducts } from '../../server/src/engine/linalg';
import type { RegressionInput, Factor } from '../../server/src/engine/types';
import { rng, normal, dummyCols, exactOls, rawSandwich } from './exactols';
import { close } from './helpers';
import { profileNumeric } from '../../server/src/data/catalog';
import { valueFacts } from '../../server/src/engine/columnFacts';

/** U units x T years, all cells, sorted by unit (or shuffled rows); x's correlated with the unit effect; levels far from 0. */
function grid(U: number, T: number, seed: number, shuffle: boolean) {
  const r = rng(seed);
  const z = normal(r);
  const cells: [number, number][] = [];
  for (let u = 0; u < U; u++) for (let t = 0; t < T; t++) cells.push([u, t]);
  if (shuffle)
    for (let i = cells.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [cells[i], cells[j]] = [cells[j], cells[i]];
    }
  const n = cells.length;
  const ue = Array.from({ length: U }, () => 50 + 3 * z());
  const te = Array.from({ length: T }, () => z());
  const unit = Int32Array.from(cells, (c) => c[0]);
  const year = Int32Array.from(cells, (c) => c[1]);
  // five regressors, one an exact time effect plus a unit effect (collinear with the FEs: dropped)
  const x = [0, 1, 2, 3].map((j) => Float64Array.from(unit, (u) => 1000 + z() + (j === 0 ? ue[u] : 0.3 * ue[u])));
  x.push(Float64Array.from(cells, (c) => ue[c[0]] * 2 + te[c[1]]));
  const y = Float64Array.from({ length: n }, (_, i) => 1.5 * x[0][i] - 0.7 * x[1][i] + 0.2 * x[2][i] + 0.05 * x[3][i] + ue[unit[i]] + te[year[i]] + z());
  return { n, unit, year, x, y, U, T };
}

type Grid = ReturnType<typeof grid>;
const fe = (name: string, codes: Int32Array): Factor => ({ name, codes });

function input(p: Grid, vcov: RegressionInput['vcov']): RegressionInput {
  return {
    depvar: { name: 'y', values: p.y },
    regressors: p.x.map((v, j) => ({ name: `x${j + 1}`, values: v })),
    fixedEffects: [fe('unit', p.unit), fe('year', p.year)],
    constant: true,
    vcov,
  };
}

for (const shuffle of [false, true]) {
  test(`balanced grid${shuffle ? ' (rows shuffled)' : ''}: iid, robust, one- and two-way clustered SEs equal exact dummy-variable OLS`, () => {
    const p = grid(30, 7, shuffle ? 5 : 4, shuffle);
    const n = p.n;
    // the exact fit without the collinear x5
    const ex = exactOls([...p.x.slice(0, 4).map((v) => Array.from(v)), ...dummyCols(p.unit, p.U), ...dummyCols(p.year, p.T, 0)], p.y);
    const Kfull = 4 + p.U + p.T - 1;

    const m = prepareModel(input(p, { type: 'cluster', clusters: [fe('unit', p.unit)] }));
    assert.equal(m.fe.balanced, true);
    const cu = estimatePrepared(m);
    // one-way clustering needs no demeaned column stored whole
    assert.equal(m.demeaned.stored().length, 0);
    assert.deepEqual(cu.omitted, [{ term: 'x5', reason: 'collinear' }]);
    const Vu = rawSandwich(ex, undefined, [p.unit]);
    const Ku = 4 + p.T; // unit FE nested in the clusters; the constant
    cu.coefficients.slice(0, 4).forEach((c, j) => {
      close(c.estimate, ex.beta[j], `b${j}`, 1e-9);
      close(c.se, Math.sqrt(Vu.get(j, j) * ((n - 1) / (n - Ku)) * (p.U / (p.U - 1))), `CR1 se${j}`, 1e-9);
    });
    close(cu.ssr, ex.ssr, 'ssr', 1e-9);

    const iid = estimate(input(p, { type: 'iid' }));
    const s2 = ex.ssr / (n - Kfull);
    iid.coefficients.slice(0, 4).forEach((c, j) => close(c.se, Math.sqrt(s2 * ex.bread.get(j, j)), `iid se${j}`, 1e-9));

    const hc = estimate(input(p, { type: 'robust' }));
    const V0 = rawSandwich(ex);
    hc.coefficients.slice(0, 4).forEach((c, j) => close(c.se, Math.sqrt(V0.get(j, j) * (n / (n - Kfull))), `HC1 se${j}`, 1e-9));

    // (without the constant, whose score sums are zero to rounding and would make V1 + V2 - V12 lose
    // definiteness: the clipped eigenvalues are not the exact sandwich's)
    const two = estimate({ ...input(p, { type: 'cluster', clusters: [fe('unit', p.unit), fe('year', p.year)] }), constant: false });
    assert.deepEqual(two.warnings, []);
    const V2 = rawSandwich(ex, undefined, [p.unit, p.year]);
    const min = Math.min(p.U, p.T);
    two.coefficients.slice(0, 4).forEach((c, j) => close(c.se, Math.sqrt(V2.get(j, j) * ((n - 1) / (n - 5)) * (min / (min - 1))), `CGM se${j}`, 1e-8));
  });
}

test('balanced grid: the columns made block by block equal a direct demeaning, their cross products too', () => {
  const p = grid(25, 6, 9, true);
  const m = prepareModel(input(p, { type: 'iid' }));
  assert.equal(m.fe.balanced, true);
  const direct = new FixedEffects([
    { name: 'unit', codes: p.unit, nlevels: p.U },
    { name: 'year', codes: p.year, nlevels: p.T },
  ]).demeanMany([...p.x, p.y], { direct: false });
  // block reads (as the passes make them) and the whole columns, against the direct demeaning
  const all = [0, 1, 2, 3, 4, 5];
  const scratch = all.map(() => new Float64Array(64));
  for (let lo = 0; lo < p.n; lo += 64) {
    const hi = Math.min(p.n, lo + 64);
    const b = m.demeaned.blocks(all, lo, hi, scratch);
    for (const j of all) for (let i = lo; i < hi; i++) assert.ok(Math.abs(b[j][i - lo] - direct.columns[j][i]) <= 1e-9, `block column ${j} row ${i}`);
  }
  const stored = [...m.xTilde, m.yTilde];
  stored.forEach((c, j) => c.forEach((v, i) => assert.ok(Math.abs(v - direct.columns[j][i]) <= 1e-9, `column ${j} row ${i}`)));
  assert.equal(m.demeaned.stored().length, 6);
  const cp = crossProducts(direct.columns, direct.columns, null);
  const p1 = 6;
  for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) close(m.xtxAll[a * 5 + b], cp[a * p1 + b], `X'X ${a},${b}`, 1e-9, 1e-6);
});

test("a dependent variable profiled by the loader: its mean and TSS from the profile equal the model's own passes", () => {
  const p = grid(20, 5, 13, false);
  const profiled = Float64Array.from(p.y);
  profileNumeric({ kind: 'numeric', name: 'y', values: profiled });
  assert.ok(valueFacts(profiled)?.finite);
  const a = estimate({ ...input(p, { type: 'cluster', clusters: [fe('unit', p.unit)] }), depvar: { name: 'y', values: profiled } });
  const b = estimate(input(p, { type: 'cluster', clusters: [fe('unit', p.unit)] })); // p.y: no profile
  assert.equal(valueFacts(p.y), undefined);
  close(a.tss, b.tss, 'tss', 1e-13);
  close(a.r2, b.r2, 'r2', 1e-13);
  a.coefficients.forEach((c, j) => close(c.estimate, b.coefficients[j].estimate, `b${j}`, 1e-12));
});
