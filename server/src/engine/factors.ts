// Integer encoding of fixed-effect and cluster factors on the estimation sample: compact level
// numbering, interactions, nesting tests and the connected components that give redundant FE levels.

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
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  let components = parent.length;
  for (let i = 0; i < a.codes.length; i++) {
    const ra = find(a.codes[i]);
    const rb = find(na + b.codes[i]);
    if (ra !== rb) {
      parent[ra] = rb;
      components--;
    }
  }
  return components;
}

/**
 * Redundant FE parameters, as reghdfe counts them by default: none for the first FE, the number of
 * connected components for the second (exact with two FEs), one for each further FE (a lower bound,
 * which is also what fixest assumes for every FE after the first).
 */
export function redundantLevels(fes: SampleFactor[]): number {
  if (fes.length < 2) return 0;
  return connectedComponents(fes[0], fes[1]) + (fes.length - 2);
}
