// Connected components of two factors' levels (engine/factors.ts: union-find carrying the root of a
// repeated code) against a breadth-first search, on random sparse designs sorted and unsorted; and the
// redundant-level count of a complete grid (found without the union-find) against the search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectedComponents, redundantLevels, type SampleFactor } from '../../server/src/engine/factors';
import { rng } from './exactols';

/** Components by breadth-first search over the bipartite graph (levels of a, then of b). */
function bfsComponents(a: SampleFactor, b: SampleFactor): number {
  const na = a.nlevels;
  const adj: number[][] = Array.from({ length: na + b.nlevels }, () => []);
  for (let i = 0; i < a.codes.length; i++) {
    adj[a.codes[i]].push(na + b.codes[i]);
    adj[na + b.codes[i]].push(a.codes[i]);
  }
  const seen = new Uint8Array(adj.length);
  let comps = 0;
  for (let s = 0; s < adj.length; s++) {
    if (seen[s]) continue;
    comps++;
    const queue = [s];
    seen[s] = 1;
    while (queue.length) for (const v of adj[queue.pop()!]) if (!seen[v]) queue.push(v), (seen[v] = 1);
  }
  return comps;
}

test('connected components equal a breadth-first search (sparse random designs, sorted and unsorted rows)', () => {
  const r = rng(21);
  for (let trial = 0; trial < 40; trial++) {
    const na = 5 + Math.floor(r() * 60);
    const nb = 2 + Math.floor(r() * 40);
    const n = Math.floor(r() * 2 * (na + nb));
    const rows = Array.from({ length: n }, () => [Math.floor(r() * na), Math.floor(r() * nb)]);
    if (trial % 2) rows.sort((x, y) => x[0] - y[0]);
    const a: SampleFactor = { name: 'a', codes: Int32Array.from(rows, (x) => x[0]), nlevels: na };
    const b: SampleFactor = { name: 'b', codes: Int32Array.from(rows, (x) => x[1]), nlevels: nb };
    assert.equal(connectedComponents(a, b), bfsComponents(a, b), `trial ${trial}`);
  }
});

test('a complete grid counts one redundant level, as the search finds', () => {
  const U = 7;
  const T = 4;
  const cells = Array.from({ length: U * T }, (_, i) => [i % U, Math.floor(i / U)]); // unsorted by unit
  const a: SampleFactor = { name: 'unit', codes: Int32Array.from(cells, (x) => x[0]), nlevels: U };
  const b: SampleFactor = { name: 'time', codes: Int32Array.from(cells, (x) => x[1]), nlevels: T };
  assert.equal(bfsComponents(a, b), 1);
  assert.equal(redundantLevels([a, b], [false, false]), 1);
  // one cell missing: no longer a grid, still one component (the union-find path)
  const a2 = { ...a, codes: a.codes.subarray(1) };
  const b2 = { ...b, codes: b.codes.subarray(1) };
  assert.equal(redundantLevels([a2, b2], [false, false]), bfsComponents(a2, b2));
});
