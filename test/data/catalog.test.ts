import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { buildCatalog, firstRepeatedPair, panelShape, profilesByArray, type NumericProfile, type StringProfile } from '../../server/src/data/catalog';
import { fmtNum, panelSummary, profileDetail, profileMarkdown, sparkline } from '../../server/src/data/catalog-format';
import { DatasetCache } from '../../server/src/data/dataset-cache';
import { loadDataset } from '../../server/src/data/load';
import { stringColumn } from '../../server/src/data/columns';
import { DataTable } from '../../server/src/data/table';
import { dataError, tempDir } from './fixtures/helpers';

test('numeric and string profiles against hand-computed values', () => {
  const t = new DataTable(6, [
    { kind: 'numeric', name: 'x', values: Float64Array.from([1, 2, 3, 4, NaN, 10]), label: 'the x', valueLabels: new Map([[2, 'two'], [1, 'one']]) },
    { kind: 'numeric', name: 'y', values: Float64Array.from([0.5, 0.5, 0.5, NaN, NaN, NaN]), renamedFrom: 'y.1' },
    stringColumn('s', ['a', 'b', 'a', '', 'c', 'a']),
    { kind: 'numeric', name: 'e', values: new Float64Array(6).fill(NaN) },
  ]);
  const c = buildCatalog(t);
  assert.equal(c.nrows, 6);
  const x = c.byName.get('x') as NumericProfile;
  assert.equal(x.kind, 'numeric');
  assert.equal(x.n, 5);
  assert.equal(x.missing, 1);
  assert.equal(x.mean, 4);
  assert.equal(x.sd, Math.sqrt(12.5)); // squared deviations 9+4+1+0+36 = 50, / (5-1)
  assert.equal(x.min, 1);
  assert.equal(x.max, 10);
  assert.equal(x.isInteger, true);
  assert.equal(x.label, 'the x');
  assert.deepEqual(x.valueLabels, [[1, 'one'], [2, 'two']]);
  const h = new Array(20).fill(0);
  // bin width (10-1)/20 = 0.45: 1 -> 0, 2 -> 2, 3 -> 4, 4 -> 6, 10 -> last
  h[0] = h[2] = h[4] = h[6] = h[19] = 1;
  assert.deepEqual(x.histogram, { lo: 1, hi: 10, counts: h });
  const y = c.byName.get('y') as NumericProfile;
  assert.equal(y.sd, 0);
  assert.equal(y.isInteger, false);
  assert.equal(y.renamedFrom, 'y.1');
  assert.equal(y.histogram!.counts[0], 3);
  const s = c.byName.get('s') as StringProfile;
  assert.equal(s.n, 5);
  assert.equal(s.missing, 1);
  assert.equal(s.distinct, 3);
  assert.deepEqual(s.top, [{ value: 'a', count: 3 }, { value: 'b', count: 1 }, { value: 'c', count: 1 }]);
  const e = c.byName.get('e') as NumericProfile;
  assert.equal(e.n, 0);
  assert.ok(Number.isNaN(e.mean) && Number.isNaN(e.sd) && Number.isNaN(e.min));
  assert.equal(e.histogram, null);
  assert.equal(e.isInteger, false);
});

test('sd stays accurate for large, nearly constant values', () => {
  const v = Float64Array.from({ length: 1000 }, (_, i) => 1e9 + (i % 2));
  const p = buildCatalog(new DataTable(1000, [{ kind: 'numeric', name: 'v', values: v }])).columns[0] as NumericProfile;
  // 500 zeros and 500 ones: variance = 0.25 * 1000/999
  assert.ok(Math.abs(p.sd - Math.sqrt(0.25 * 1000 / 999)) < 1e-12);
});

test('top values keep the 10 most frequent, ties in first-seen order', () => {
  const vals: string[] = [];
  for (let k = 0; k < 15; k++) for (let r = 0; r <= k % 5; r++) vals.push(`v${k}`);
  const s = buildCatalog(new DataTable(vals.length, [stringColumn('s', vals)])).columns[0] as StringProfile;
  assert.equal(s.distinct, 15);
  assert.deepEqual(s.top.map((t) => t.value), ['v4', 'v9', 'v14', 'v3', 'v8', 'v13', 'v2', 'v7', 'v12', 'v1']);
  assert.deepEqual(s.top.map((t) => t.count), [5, 5, 5, 4, 4, 4, 3, 3, 3, 2]);
});

test('panelShape: gaps, duplicates, missing keys, balance', () => {
  const unit = ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'C', 'C', 'C', ''];
  const year = [2001, 2002, 2003, 2004, 2001, 2003, 2003, 2002, 2003, 2004, 2001];
  const t = new DataTable(unit.length, [stringColumn('city', unit), { kind: 'numeric', name: 'year', values: Float64Array.from(year) }]);
  assert.deepEqual(panelShape(t, 'city', 'year'), {
    unitVar: 'city', timeVar: 'year', units: 3, periods: 4, balanced: false, gaps: 1, delta: 1,
    minTime: 2001, maxTime: 2004, duplicates: 1, missingKeys: 1,
  });
  const bal = new DataTable(6, [
    { kind: 'numeric', name: 'id', values: Float64Array.from([7, 7, 7, 9, 9, 9]) },
    { kind: 'numeric', name: 't', values: Float64Array.from([3, 1, 2, 2, 3, 1]) },
  ]);
  const b = panelShape(bal, 'id', 't');
  assert.equal(b.balanced, true);
  assert.equal(b.units, 2);
  assert.equal(b.periods, 3);
  assert.equal(b.gaps, 0);
  const biennial = new DataTable(4, [
    { kind: 'numeric', name: 'id', values: Float64Array.from([1, 1, 1, 2]) },
    { kind: 'numeric', name: 't', values: Float64Array.from([2000, 2002, 2006, 2004]) },
  ]);
  const bi = panelShape(biennial, 'id', 't');
  assert.equal(bi.delta, 2);
  assert.equal(bi.gaps, 1); // unit 1 misses 2004
  assert.equal(dataError(() => panelShape(t, 'nope', 'year')).code, 'bad-argument');
  assert.match(dataError(() => panelShape(t, 'year', 'city')).message, /must be numeric/);
});

test('mpdta is a balanced panel of 500 counties x 5 years', async () => {
  const d = await loadDataset(`${__dirname}/../../../test/reference/data/mpdta.csv`);
  const p = panelShape(d.table, 'countyreal', 'year');
  assert.equal(p.units, 500);
  assert.equal(p.periods, 5);
  assert.equal(p.balanced, true);
  assert.equal(p.minTime, 2003);
  assert.equal(p.maxTime, 2007);
});

test('DatasetCache loads once, reloads on change, returns errors as values', async () => {
  const tmp = tempDir('cache');
  let loads = 0;
  const cache = new DatasetCache((p, o) => { loads++; return loadDataset(p, o); });
  try {
    const p = tmp.file('d.csv', 'a,b\n1,x\n2,y\n');
    const [e1, e2] = await Promise.all([cache.get(p), cache.get(p)]);
    assert.equal(loads, 1, 'concurrent gets share one load');
    assert.ok(e1.ok && e2.ok);
    assert.equal(e1.catalog, e2.catalog);
    assert.equal((await cache.get(p)).ok, true);
    assert.equal(loads, 1);
    writeFileSync(p, 'a,b\n1,x\n2,y\n3,z\n');
    const e3 = await cache.get(p);
    assert.equal(loads, 2);
    assert.ok(e3.ok && e3.data.table.nrows === 3);
    // same size, new mtime -> reload too
    writeFileSync(p, 'a,b\n1,x\n2,y\n9,z\n');
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    const e4 = await cache.get(p);
    assert.equal(loads, 3);
    assert.ok(e4.ok && e4.data.table.get('a')!.kind === 'numeric');
    writeFileSync(p, 'a,b\n1,2\n3\n');
    const bad = await cache.get(p);
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok && bad.error.code === 'ragged-row' && bad.error.line === 3);
    const missing = await cache.get(tmp.file('none.csv'));
    assert.ok(!missing.ok && missing.error.code === 'not-found');
    // Least recently used entries are dropped beyond maxEntries.
    const small = new DatasetCache(undefined, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => tmp.file(`${n}.csv`, 'x\n1\n'));
    await small.get(a);
    await small.get(b);
    await small.get(a);
    await small.get(c);
    assert.ok(small.peek(a) && small.peek(c));
    assert.equal(small.peek(b), undefined);
  } finally {
    tmp.cleanup();
  }
});

test('hover text: sparkline, markdown, panel summary', () => {
  assert.equal(sparkline([0, 1, 2, 4]), ' ▃▅█');
  const t = new DataTable(4, [
    { kind: 'numeric', name: 'first_treat', renamedFrom: 'first.treat', label: 'adoption year', values: Float64Array.from([2004, 2006, NaN, 2007]) },
    stringColumn('city', ['北京', '上海', '北京', '']),
  ]);
  const c = buildCatalog(t);
  const md = profileMarkdown(c.byName.get('first_treat')!);
  assert.match(md, /\*\*first_treat\*\* · numeric \(integer\) — adoption year/);
  assert.match(md, /renamed from `first\.treat`/);
  assert.match(md, /n = 3 · missing 1/);
  assert.match(md, /mean 2005\.67 · sd 1\.52753 · min 2004 · max 2007/);
  const smd = profileMarkdown(c.byName.get('city')!);
  assert.match(smd, /2 distinct values/);
  assert.match(smd, /"北京" \(2\), "上海" \(1\)/);
  assert.equal(profileDetail(c.byName.get('city')!), 'string, 3 obs, 1 missing');
  assert.equal(fmtNum(0.000012345), '1.234e-5');
  assert.equal(
    panelSummary({ unitVar: 'city', timeVar: 'year', units: 285, periods: 18, balanced: false, gaps: 2, delta: 1, minTime: 2003, maxTime: 2020, duplicates: 1, missingKeys: 0 }),
    '285 units × 18 periods (2003–2020), unbalanced, 2 gaps, 1 duplicate city×year row',
  );
});

test('firstRepeatedPair: the first row repeating a (unit, time) pair; missing units or times skipped', () => {
  const num = (xs: number[]) => ({ kind: 'numeric' as const, name: 'u', values: Float64Array.from(xs) });
  assert.equal(firstRepeatedPair(num([1, 1, 2, 2]), Float64Array.from([2000, 2001, 2000, 2001])), -1);
  assert.equal(firstRepeatedPair(num([1, 1, 2, 1]), Float64Array.from([2000, 2001, 2000, 2000])), 3);
  assert.equal(firstRepeatedPair(num([NaN, NaN, 1]), Float64Array.from([2000, 2000, NaN])), -1);
  const str = { kind: 'string' as const, name: 'u', levels: ['b', 'a'], codes: Int32Array.from([0, 1, -1, -1, 1]) };
  assert.equal(firstRepeatedPair(str, Float64Array.from([1, 1, 1, 1, 1])), 4);
});

test('buildCatalog reuses the profile of a column whose data array was profiled before, under its own name and label', () => {
  const t = new DataTable(4);
  t.add({ kind: 'numeric', name: 'x', values: Float64Array.from([1, 2, NaN, 4]), label: 'old label' });
  t.add({ kind: 'numeric', name: 'y', values: Float64Array.from([5, 6, 7, 8]) });
  const before = buildCatalog(t);
  const known = profilesByArray(t, before);
  // a later table: x shared under a new name and label, y recomputed (new array), z new
  const u = new DataTable(4);
  u.add({ kind: 'numeric', name: 'x2', values: (t.get('x') as { values: Float64Array }).values, label: 'new label' });
  u.add({ kind: 'numeric', name: 'y', values: Float64Array.from([5, 6, 7, 9]) });
  const after = buildCatalog(u, known);
  const x2 = after.byName.get('x2') as NumericProfile;
  assert.equal(x2.mean, (before.byName.get('x') as NumericProfile).mean);
  assert.equal(x2.label, 'new label');
  assert.equal(x2.name, 'x2');
  assert.equal(x2.missing, 1);
  assert.equal((after.byName.get('y') as NumericProfile).max, 9, 'a new array is profiled again');
  assert.deepEqual(after, buildCatalog(u), 'the same catalog as profiling from scratch');
});
