// Numeric factor coding (runtime/factors.ts) and the record of complete code arrays it leaves for the
// sample selection and the singleton rounds (engine/completeCodes.ts): codes are the ascending rank of
// each value, -1 where missing, whichever path (a range the values fill, a range with gaps, or sorted
// distinct values) coded them; only arrays without -1 are recorded, with their number of levels.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataTable } from '../../server/src/data/table';
import { codeColumn, combineCodes } from '../../server/src/runtime/factors';
import { completeCodes, completeLevels } from '../../server/src/engine/completeCodes';
import { profileNumeric } from '../../server/src/data/catalog';
import { valueFacts } from '../../server/src/engine/columnFacts';
import { selectSample } from '../../server/src/engine/sample';
import { dropSingletons } from '../../server/src/engine/singletons';

/** Independent coding: the rank of each value among the sorted distinct non-missing values. */
function ranks(v: number[]): number[] {
  const levels = [...new Set(v.filter((x) => !Number.isNaN(x)))].sort((a, b) => a - b);
  return v.map((x) => (Number.isNaN(x) ? -1 : levels.indexOf(x)));
}

/** Rows per code. */
function counts(codes: number[], levels: number): number[] {
  const c = new Array<number>(levels).fill(0);
  for (const k of codes) if (k >= 0) c[k]++;
  return c;
}

/** Each new code is one more than the largest before it. */
function inFirstOrder(codes: number[]): boolean {
  let top = -1;
  for (const k of codes) {
    if (k < 0) continue;
    if (k > top + 1) return false;
    if (k > top) top = k;
  }
  return true;
}

function coded(v: number[]) {
  const t = new DataTable(v.length, [{ kind: 'numeric', name: 'v', values: Float64Array.from(v) }]);
  return codeColumn(t, 'v');
}

describe('numeric factor codes', () => {
  const cases: [string, number[], number | null][] = [
    ['a range the values fill, unsorted', [2003, 2001, 2002, 2001, 2003, 2002], 3],
    ['a range with gaps (renumbered)', [10, 14, 10, 17, 14, 11], 4],
    ['a missing value', [5, NaN, 7, 5, 6], null],
    ['non-whole values (sorted distinct path)', [0.5, 2.25, 0.5, -1.5, 2.25], 3],
    ['non-whole values and a missing one', [0.5, NaN, -1.5], null],
    ['negative whole numbers', [-3, -1, -3, -2], 3],
  ];
  for (const [what, v, levels] of cases) {
    it(what, () => {
      const c = coded(v);
      assert.deepEqual(Array.from(c.codes), ranks(v));
      assert.equal(c.nlevels, new Set(v.filter((x) => !Number.isNaN(x))).size);
      assert.equal(completeLevels(c.codes), levels);
      assert.deepEqual(c.labels, [...new Set(v.filter((x) => !Number.isNaN(x)))].sort((a, b) => a - b).map(String));
      // the level sizes and the order of first appearance, when the coder recorded them, are right
      const rec = completeCodes(c.codes);
      if (rec?.counts) assert.deepEqual(Array.from(rec.counts), counts(ranks(v), c.nlevels));
      if (rec) assert.equal(rec.firstOrder, inFirstOrder(ranks(v)));
    });
  }

  it('level sizes and the order of first appearance are recorded by the range path', () => {
    for (const v of [[1, 1, 2, 2, 2, 3], [1, 3, 2, 3], [7, 5, 6, 5], [2001, 2002, 2001, 2002]]) {
      const rec = completeCodes(coded(v).codes);
      assert.ok(rec?.counts, `counts recorded for ${v}`);
      assert.deepEqual(Array.from(rec.counts), counts(ranks(v), rec.levels));
      assert.equal(rec.firstOrder, inFirstOrder(ranks(v)), `order of ${v}`);
    }
  });

  it("a column profiled by the loader is coded from the profile's range, as an unprofiled copy is", () => {
    for (const v of [[12, 10, 11, 10, 12], [3, NaN, 1, 3], [0.5, 1.5, 0.5], [-2, -4, -2, -3]]) {
      const t = new DataTable(v.length, [{ kind: 'numeric', name: 'v', values: Float64Array.from(v) }]);
      const col = t.get('v');
      assert.ok(col && col.kind === 'numeric');
      profileNumeric(col);
      assert.ok(valueFacts(col.values), 'facts recorded by the profile');
      assert.equal(valueFacts(col.values)!.finite, !v.some(Number.isNaN));
      const viaFacts = codeColumn(t, 'v');
      assert.deepEqual(Array.from(viaFacts.codes), ranks(v));
      assert.deepEqual(viaFacts.labels, coded(v).labels);
    }
  });

  it("the sample selection trusts a profile's missing count: a profiled column with a missing value still drops its row", () => {
    const withNaN = { kind: 'numeric' as const, name: 'y', values: Float64Array.from([1, NaN, 3, 4]) };
    const clean = { kind: 'numeric' as const, name: 'x', values: Float64Array.from([2, 3, 5, 7]) };
    profileNumeric(withNaN);
    profileNumeric(clean);
    assert.equal(valueFacts(clean.values)!.finite, true);
    const sel = (cols: { name: string; values: Float64Array }[]) => selectSample({ nrows: 4, columns: cols, fixedEffects: [], clusters: [], dropSingletons: false });
    assert.deepEqual(Array.from(sel([withNaN, clean]).rows), [0, 2, 3]);
    assert.deepEqual(Array.from(sel([clean]).rows), [0, 1, 2, 3]);
    const inf = { kind: 'numeric' as const, name: 'z', values: Float64Array.from([1, Infinity, 3, 4]) };
    profileNumeric(inf);
    assert.throws(() => sel([inf]), /infinite value in row 2/);
  });

  it('a#b is recorded complete only when both parts are', () => {
    const a = coded([1, 2, 1, 2]);
    const b = coded([7, 7, 8, 8]);
    const m = coded([1, NaN, 1, 2]);
    const ab = combineCodes([a, b]);
    assert.equal(completeLevels(ab.codes), 4);
    const am = combineCodes([m, b]);
    assert.deepEqual(Array.from(am.codes), [0, -1, 1, 2]);
    assert.equal(completeLevels(am.codes), null);
  });

  it('sample selection and singleton rounds give the same rows for recorded and unrecorded codes', () => {
    // unit 4 has one row (a singleton); the second FE has a level used once after that drop
    const unit = [1, 1, 2, 2, 3, 3, 4, 5, 5];
    const time = [1, 2, 1, 2, 1, 3, 1, 2, 3];
    const cu = coded(unit);
    const ct = coded(time);
    assert.notEqual(completeLevels(cu.codes), null);
    const plainU = Int32Array.from(cu.codes); // a copy: not recorded, so scanned
    const plainT = Int32Array.from(ct.codes);
    assert.equal(completeLevels(plainU), null);
    const y = { name: 'y', values: Float64Array.from(unit, (_, i) => i) };
    const spec = (u: Int32Array, t: Int32Array) => ({
      nrows: unit.length,
      columns: [y],
      fixedEffects: [
        { name: 'unit', codes: u, nlevels: cu.nlevels },
        { name: 'time', codes: t, nlevels: ct.nlevels },
      ],
      clusters: [],
      dropSingletons: true,
    });
    const recorded = selectSample(spec(cu.codes, ct.codes));
    const scanned = selectSample(spec(plainU, plainT));
    assert.deepEqual(Array.from(recorded.rows), Array.from(scanned.rows));
    assert.equal(recorded.singletonsRemoved, scanned.singletonsRemoved);
    const all = Int32Array.from(unit, (_, i) => i);
    const direct = dropSingletons(all, [plainU, plainT]);
    assert.deepEqual(Array.from(dropSingletons(all, [cu.codes, ct.codes]).rows), Array.from(direct.rows));
    assert.ok(direct.removed > 0);
  });
});
