// Variance of linear estimators b = bread · R'y from a bread matrix and per-row scores r_i e_i,
// with the small-sample conventions of reghdfe / fixest (test/reference/README.md):
//   iid      σ² bread, σ² = SSR/(N-K)
//   robust   HC1 = bread · Σ s_i s_i' · bread · N/(N-K)
//   cluster  CR1 = bread · Σ_g S_g S_g' · bread · (N-1)/(N-K) · G/(G-1); multiway
//            V1 + V2 - V12 (Cameron-Gelbach-Miller) with Gmin, negative eigenvalues zeroed.

import type { VcovType } from '../../results/types';
import type { SampleFactor } from '../factors';
import { type Mat, matmul, psdFix, scale, zeros, add } from './linalg';

export interface SandwichInput {
  type: VcovType;
  bread: Mat; // (R'R)^{-1} (weighted rows already scaled by sqrt(w))
  regressors: Float64Array[]; // R, one column per coefficient (sqrt(w)-scaled)
  resid: Float64Array; // sqrt(w)-scaled residuals
  clusters: SampleFactor[];
  dfK: number; // K of the small-sample factor
}

export interface SandwichResult {
  V: Mat;
  dfT: number; // t / interval degrees of freedom
  nClusters: number[];
}

/** Σ_g S_g S_g' with S_g the cluster sums of the scores r_i e_i. */
export function clusterMeat(regressors: Float64Array[], resid: Float64Array, codes: Int32Array, G: number): Mat {
  const k = regressors.length;
  const S = Array.from({ length: k }, () => new Float64Array(G));
  for (let j = 0; j < k; j++) {
    const x = regressors[j];
    const s = S[j];
    for (let i = 0; i < resid.length; i++) s[codes[i]] += x[i] * resid[i];
  }
  const M = zeros(k, k);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      let v = 0;
      const sa = S[a], sb = S[b];
      for (let g = 0; g < G; g++) v += sa[g] * sb[g];
      M[a][b] = v;
      M[b][a] = v;
    }
  return M;
}

/** Intersection of several cluster variables as one factor (for the V12 term). */
export function intersectFactors(fs: SampleFactor[]): SampleFactor {
  const map = new Map<string, number>();
  const n = fs[0].codes.length;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = fs.map((f) => f.codes[i]).join(',');
    let c = map.get(key);
    if (c === undefined) { c = map.size; map.set(key, c); }
    codes[i] = c;
  }
  return { name: fs.map((f) => f.name).join('#'), codes, nlevels: map.size };
}

export function sandwich(inp: SandwichInput): SandwichResult {
  const n = inp.resid.length;
  const k = inp.regressors.length;
  const { bread, dfK } = inp;
  if (inp.type === 'iid') {
    let ssr = 0;
    for (let i = 0; i < n; i++) ssr += inp.resid[i] * inp.resid[i];
    return { V: scale(bread, ssr / (n - dfK)), dfT: n - dfK, nClusters: [] };
  }
  if (inp.type === 'robust') {
    const M = zeros(k, k);
    for (let a = 0; a < k; a++)
      for (let b = a; b < k; b++) {
        let v = 0;
        const xa = inp.regressors[a], xb = inp.regressors[b];
        for (let i = 0; i < n; i++) v += xa[i] * xb[i] * inp.resid[i] * inp.resid[i];
        M[a][b] = v;
        M[b][a] = v;
      }
    return { V: scale(matmul(matmul(bread, M), bread), n / (n - dfK)), dfT: n - dfK, nClusters: [] };
  }
  const cl = inp.clusters;
  if (!cl.length) throw new Error('clustered covariance without a cluster variable');
  // Inclusion-exclusion over all non-empty subsets of the cluster variables.
  let meat = zeros(k, k);
  const m = cl.length;
  for (let mask = 1; mask < 1 << m; mask++) {
    const members = cl.filter((_, i) => mask & (1 << i));
    const f = members.length === 1 ? members[0] : intersectFactors(members);
    const sign = members.length % 2 === 1 ? 1 : -1;
    meat = add(meat, clusterMeat(inp.regressors, inp.resid, f.codes, f.nlevels), sign);
  }
  const G = Math.min(...cl.map((c) => c.nlevels));
  let V = matmul(matmul(bread, meat), bread);
  V = scale(V, ((n - 1) / (n - dfK)) * (G / (G - 1)));
  if (m > 1) V = psdFix(V);
  return { V, dfT: G - 1, nClusters: cl.map((c) => c.nlevels) };
}
