// Interactions a#b (runtime/factors.ts combineCodes): one level per observed combination, numbered in
// order of first appearance, -1 where a part is missing, labels "a#b" in code order; checked against an
// independent coding by string keys, through the dense table (with and without missing parts) and the
// hash map (more cells than the dense table allows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataTable } from '../../server/src/data/table';
import { codeColumn, combineCodes } from '../../server/src/runtime/factors';
import { completeCodes, completeLevels } from '../../server/src/engine/completeCodes';
import { mulberry32 } from '../util/mulberry32';

function coded(v: number[]) {
  const t = new DataTable(v.length, [{ kind: 'numeric', name: 'v', values: Float64Array.from(v) }]);
  return codeColumn(t, 'v');
}

/** Independent coding: first appearance of the value pair as text. */
function expected(a: number[], b: number[]): { codes: number[]; labels: string[] } {
  const seen = new Map<string, number>();
  const codes = a.map((x, i) => {
    if (Number.isNaN(x) || Number.isNaN(b[i])) return -1;
    const key = `${x}#${b[i]}`;
    if (!seen.has(key)) seen.set(key, seen.size);
    return seen.get(key)!;
  });
  return { codes, labels: [...seen.keys()] };
}

function check(a: number[], b: number[], what: string): void {
  const ab = combineCodes([coded(a), coded(b)]);
  const e = expected(a, b);
  assert.deepEqual(Array.from(ab.codes), e.codes, `${what}: codes`);
  assert.equal(ab.nlevels, e.labels.length, `${what}: levels`);
  assert.deepEqual(ab.labels, e.labels, `${what}: labels`);
  const complete = !a.some(Number.isNaN) && !b.some(Number.isNaN);
  assert.equal(completeLevels(ab.codes), complete ? e.labels.length : null, `${what}: recorded complete`);
  const rec = completeCodes(ab.codes);
  if (rec) {
    // numbered in order of first appearance; the rows per level, when recorded, counted right
    assert.equal(rec.firstOrder, true, `${what}: first-appearance order`);
    if (rec.counts) assert.deepEqual(Array.from(rec.counts), e.labels.map((_, k) => e.codes.filter((c) => c === k).length), `${what}: rows per level`);
  }
}

test('a#b codes and labels in order of first appearance: dense table, complete parts and parts with missing values', () => {
  const r = mulberry32(3);
  const n = 400;
  const a = Array.from({ length: n }, () => 1990 + Math.floor(r() * 12));
  const b = Array.from({ length: n }, () => Math.floor(r() * 7) * 5);
  check(a, b, 'complete');
  const am = a.map((x) => (r() < 0.1 ? NaN : x));
  const bm = b.map((x) => (r() < 0.1 ? NaN : x));
  check(am, bm, 'missing values');
});

test('a#b with more cells than the dense table allows (hash map of pairs)', () => {
  const n = 1500;
  const a = Array.from({ length: n }, (_, i) => 3 * i);
  const b = Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
  const cells = coded(a).nlevels * coded(b).nlevels;
  assert.ok(cells > 4 * n + (1 << 20), `${cells} cells: the dense table would be used`);
  check(a, b, 'sparse');
  check(a.map((x, i) => (i % 17 === 3 ? NaN : x)), b, 'sparse, missing values');
});
