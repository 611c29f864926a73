// The fixed-effect parameter counts of factors.ts (redundantLevels, clusterFeParameters, fullyRedundant)
// from facts about the factors instead of their code arrays: the SQL routes learn nesting and connected
// components from aggregate queries, and the counts must follow the in-memory engine's rules exactly.

export interface FactorFacts {
  levels: number[]; // per FE, levels in the estimation sample
  /** every level of FE `inner` lies inside one level of FE `outer` */
  nestedIn(inner: number, outer: number): boolean;
  /** connected components of the bipartite graph of FE a and FE b levels sharing a row */
  components(a: number, b: number): number;
  /** per FE: nested in some cluster variable (a cluster variable equal to it counts) */
  nestedInCluster: boolean[];
}

export interface FeCounts {
  kFeFull: number;
  kFeCluster: number;
  feRedundant: boolean[];
}

/** As factors.ts fullyRedundant: an earlier FE with at least as many levels nested in a later one (3+ FEs). */
function fullyRedundant(f: FactorFacts): boolean[] {
  const Q = f.levels.length;
  const out = f.levels.map(() => false);
  if (Q < 3) return out;
  for (let q = 1; q < Q; q++) {
    for (let p = 0; p < q && !out[q]; p++) {
      if (out[p] || f.levels[p] < f.levels[q]) continue;
      if (f.nestedIn(p, q)) out[q] = true;
    }
  }
  return out;
}

/** kFeFull and kFeCluster of a model with these FEs (none: the constant, or nothing when `constant` is false). */
export function feCounts(f: FactorFacts, constant: boolean): FeCounts {
  const Q = f.levels.length;
  if (Q === 0) return { kFeFull: constant ? 1 : 0, kFeCluster: constant ? 1 : 0, feRedundant: [] };
  const full = fullyRedundant(f);
  let r = 0;
  const rest: number[] = [];
  for (let q = 0; q < Q; q++) {
    if (full[q]) r += f.levels[q];
    else rest.push(q);
  }
  if (rest.length >= 2) r += f.components(rest[0], rest[1]) + (rest.length - 2);
  const kFeFull = f.levels.reduce((s, v) => s + v, 0) - r;
  let kFeCluster = kFeFull;
  if (f.nestedInCluster.some((n, q) => n && !full[q])) {
    const aside = f.levels.map((_, q) => f.nestedInCluster[q] || full[q] || f.levels.some((_, p) => p !== q && f.nestedInCluster[p] && f.nestedIn(p, q)));
    const kept = f.levels.filter((_, q) => !aside[q]);
    kFeCluster = kept.length ? kept.reduce((s, v) => s + v, 0) - (kept.length - 1) : 1;
  }
  return { kFeFull, kFeCluster, feRedundant: full };
}

/** Union-find component count over `n` nodes and the given edges. */
export function componentCount(n: number, edges: Iterable<[number, number]>): number {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  let c = n;
  for (const [a, b] of edges) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) {
      parent[ra] = rb;
      c--;
    }
  }
  return c;
}
