// Integer encoding of fixed-effect and cluster factors on the estimation sample: compact level
// numbering, interactions, nesting tests and the connected components that give redundant FE levels.
import { completeCodes } from './completeCodes';

/** A factor restricted to the estimation sample: codes 0..nlevels-1, one per sample row. */
export interface SampleFactor {
  name: string;
  codes: Int32Array;
  nlevels: number;
}

function maxCode(codes: Int32Array): number {
  let m = -1;
  for (let i = 0; i < codes.length; i++) if (codes[i] > m) m = codes[i];
  return m;
}

/** Re-numbers `codes` on the given rows (indices into `codes`) as 0..nlevels-1 in order of first appearance. */
export function compactCodes(name: string, codes: Int32Array, rows: Int32Array): SampleFactor {
  if (rows.length === codes.length) {
    // the coder recorded that the codes appear in order (and how many): no scan
    const known = completeCodes(codes);
    if (known?.firstOrder) return { name, codes, nlevels: known.levels };
    // every row in the sample (rows ascending, distinct: the identity) and codes already numbered in
    // order of first appearance: the input serves as is (read only), no copy
    let top = -1;
    let i = 0;
    for (; i < codes.length; i++) {
      const c = codes[i];
      if (c > top + 1 || c < 0) break;
      if (c > top) top = c;
    }
    if (i === codes.length) return { name, codes, nlevels: top + 1 };
  }
  const out = new Int32Array(rows.length);
  let next = 0;
  const top = maxCode(codes);
  if (top > 4 * codes.length + 1_000_000) {
    // sparse codes (raw identifiers rather than 0..n-1): a hash map instead of a huge table
    const map = new Map<number, number>();
    for (let j = 0; j < rows.length; j++) {
      const c = codes[rows[j]];
      let k = map.get(c);
      if (k === undefined) map.set(c, (k = next++));
      out[j] = k;
    }
    return { name, codes: out, nlevels: next };
  }
  const map = new Int32Array(top + 1).fill(-1);
  for (let j = 0; j < rows.length; j++) {
    const c = codes[rows[j]];
    let k = map[c];
    if (k < 0) k = map[c] = next++;
    out[j] = k;
  }
  return { name, codes: out, nlevels: next };
}

/** Number of distinct non-negative codes. */
export function countLevels(codes: Int32Array): number {
  const seen = new Uint8Array(maxCode(codes) + 1);
  let n = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0 && !seen[c]) {
      seen[c] = 1;
      n++;
    }
  }
  return n;
}

/**
 * Codes of the interaction a#b (-1 where either is missing), numbered densely in order of first
 * appearance. Works on full-length code arrays of equal length.
 */
export function interactCodes(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length !== b.length) throw new RangeError('interactCodes: factors of different lengths');
  const nb = maxCode(b) + 1;
  const na = maxCode(a) + 1;
  const out = new Int32Array(a.length);
  const cells = na * nb;
  if (cells <= 1 << 24) {
    const map = new Int32Array(cells).fill(-1);
    let next = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (x < 0 || y < 0) {
        out[i] = -1;
        continue;
      }
      const key = x * nb + y;
      let k = map[key];
      if (k < 0) k = map[key] = next++;
      out[i] = k;
    }
    return out;
  }
  // too many cells for a dense table: hash the pairs
  const map = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x < 0 || y < 0) {
      out[i] = -1;
      continue;
    }
    const key = x * nb + y;
    let k = map.get(key);
    if (k === undefined) {
      k = map.size;
      map.set(key, k);
    }
    out[i] = k;
  }
  return out;
}

/** Codes of the interaction of several factors (a#b#c...). */
export function interactMany(factors: Int32Array[]): Int32Array {
  if (factors.length === 0) throw new RangeError('interactMany: no factors');
  let acc = factors[0];
  for (let i = 1; i < factors.length; i++) acc = interactCodes(acc, factors[i]);
  return acc === factors[0] ? Int32Array.from(acc) : acc;
}

/** True when every level of `inner` lies inside a single level of `outer` (same rows, sample codes). */
export function isNestedIn(inner: SampleFactor, outer: SampleFactor): boolean {
  const owner = new Int32Array(inner.nlevels).fill(-1);
  const ic = inner.codes;
  const oc = outer.codes;
  for (let i = 0; i < ic.length; i++) {
    const k = ic[i];
    const o = owner[k];
    if (o < 0) owner[k] = oc[i];
    else if (o !== oc[i]) return false;
  }
  return true;
}

/** Connected components of the bipartite graph linking levels of `a` and `b` that share a row. */
export function connectedComponents(a: SampleFactor, b: SampleFactor): number {
  const na = a.nlevels;
  const parent = new Int32Array(na + b.nlevels);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  return parent.length - unions(a.codes, b.codes, na, parent, 0, a.codes.length);
}

/**
 * Links level a[i] with level na + b[i] for rows lo..hi-1 (union-find with path halving in `parent`);
 * returns the number of links that joined two components. While a's code repeats (rows sorted by a),
 * its root is carried over instead of found again.
 */
function unions(ac: Int32Array, bc: Int32Array, na: number, parent: Int32Array, lo: number, hi: number): number {
  let joined = 0;
  let lastA = -1;
  let ra = -1;
  for (let i = lo; i < hi; i++) {
    const x = ac[i];
    if (x !== lastA) {
      lastA = x;
      ra = x;
    }
    while (parent[ra] !== ra) ra = parent[ra] = parent[parent[ra]];
    let rb = na + bc[i];
    while (parent[rb] !== rb) rb = parent[rb] = parent[parent[rb]];
    if (ra !== rb) {
      parent[ra] = rb;
      ra = rb;
      joined++;
    }
  }
  return joined;
}

/**
 * Per FE: true when every one of its levels is redundant because an EARLIER FE is nested in it (e.g.
 * `fe(city year province)` with province constant within city: the province dummies are sums of city
 * dummies). Only an earlier finer FE counts, as reghdfe/fixest order their checks: `fe(county year
 * region#year)` keeps fixest's count (year before the finer region#year), which the reference numbers
 * use. Two identical FEs: the later one is marked. Only checked with 3+ FEs: with two, the connected
 * components already count a nested pair exactly.
 */
export function fullyRedundant(fes: SampleFactor[]): boolean[] {
  const out = fes.map(() => false);
  if (fes.length < 3) return out;
  for (let q = 1; q < fes.length; q++) {
    for (let p = 0; p < q && !out[q]; p++) {
      if (out[p] || fes[p].nlevels < fes[q].nlevels) continue; // a finer FE has at least as many levels
      if (isNestedIn(fes[p], fes[q])) out[q] = true;
    }
  }
  return out;
}

/**
 * Redundant FE parameters, as reghdfe counts them: every level of a FE that a finer FE is nested in
 * (see `fullyRedundant`); of the others, none for the first, the connected components of the first two
 * (exact with two FEs), and one for each further FE (a lower bound, which is also what fixest assumes).
 * `full` may pass a precomputed `fullyRedundant(fes)`.
 */
export function redundantLevels(fes: SampleFactor[], full: boolean[] = fullyRedundant(fes)): number {
  let r = 0;
  const rest: SampleFactor[] = [];
  fes.forEach((f, q) => {
    if (full[q]) r += f.nlevels;
    else rest.push(f);
  });
  if (rest.length < 2) return r;
  // every pair of levels once (a balanced panel's unit and time): one component, found without a union-find pass
  return r + (isCompleteGrid(rest[0], rest[1]) ? 1 : connectedComponents(rest[0], rest[1])) + (rest.length - 2);
}

/**
 * FE parameters for clustered errors when some FE is nested in a cluster variable, as reghdfe and
 * fixest count them: the FEs nested in a cluster are set aside, with those already fully redundant
 * and those a nested FE is nested in (their dummies are sums of its dummies: `fe(state unit year)
 * cluster(unit)` counts as `fe(unit year) cluster(unit)`, whatever the order); the others count their
 * levels less one for each FE after the first (fixest's count, which the 3-FE reference cases use);
 * the constant alone when nothing is left. The connected components of the full graph must not be
 * used here: they may run through a nested FE (`fe(city year#province) cluster(city)` has one per
 * province, yet all the year#province levels count, in reghdfe and fixest alike).
 */
export function clusterFeParameters(fes: SampleFactor[], nested: boolean[], full: boolean[]): number {
  const aside = fes.map((f, q) => nested[q] || full[q] || fes.some((g, p) => p !== q && nested[p] && isNestedIn(g, f)));
  const rest = fes.filter((_, q) => !aside[q]);
  return rest.length ? rest.reduce((s, f) => s + f.nlevels, 0) - (rest.length - 1) : 1;
}

/**
 * True when every (a, b) pair of levels occurs exactly once (a balanced panel of unit x time): then the
 * two FE projections commute, demeaning is exact in one pass and the two FEs form one connected component.
 */
export function isCompleteGrid(a: SampleFactor, b: SampleFactor): boolean {
  const n = a.codes.length;
  const nb = b.nlevels;
  if (n !== a.nlevels * nb || n === 0) return false;
  const ac = a.codes;
  const bc = b.codes;
  {
    // rows sorted by `a` (one run per level): no b-level twice within a run is enough, with a small
    // stamp table instead of an n-cell one (n = na*nb and at most nb rows per run: every pair once)
    const stamp = new Int32Array(nb).fill(-1);
    let runs = 0;
    let prev = -1;
    let i = 0;
    for (; i < n; i++) {
      const x = ac[i];
      if (x !== prev) {
        runs++;
        prev = x;
      }
      const y = bc[i];
      if (stamp[y] === x) break; // a repeat, or a level of a seen again later: use the full table
      stamp[y] = x;
    }
    if (i === n && runs === a.nlevels) return true;
  }
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const key = ac[i] * nb + bc[i];
    if (seen[key]) return false;
    seen[key] = 1;
  }
  return true;
}
