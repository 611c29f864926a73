// The variance-covariance matrices of every estimator (OLS, 2SLS, the placebo refits) and the meats of
// the IV rank test: iid, HC1 and CR1 cluster sandwiches (one- and multi-way by Cameron-Gelbach-Miller
// inclusion-exclusion), with reghdfe/fixest small-sample factors and reghdfe's eigenvalue fix. Works from
// a bread (Z'WZ)^-1 and score columns s_j = w e z_j, so each estimator brings its own bread and scores.
//
// The variance types are data (as fixest's `vcov_setup()`): `VCOV_KINDS` holds one description per
// type (its meat, small-sample factor, t df, whether the eigenvalue fix applies) and `computeVcov` is
// the one implementation (Driscoll-Kraay's HAC meat lives in inference/driscollKraay.ts). A new type is a new `VcovRequest` member and a new `VCOV_KINDS` entry.
import type { VcovType } from '../results/types';
import { EstimationError } from './types';
import { interactCodes, countLevels, type SampleFactor } from './factors';
import { matMul, symEigen } from './linalg';
import { clusterScores } from './clusterScores';
import { driscollKraayMeat } from './inference/driscollKraay';

/** What the estimator asks for, per variance type: the type and the data it needs (factors on the sample rows). */
interface VcovRequests {
  iid: { type: 'iid' };
  robust: { type: 'robust' };
  cluster: { type: 'cluster'; clusters: SampleFactor[]; terms?: ClusterTerm[] /* precomputed clusterTerms(clusters) for repeated use */ };
  /** Driscoll-Kraay: `periods` codes 0..T-1 in time order */
  dkraay: { type: 'dkraay'; periods: SampleFactor; lags: number };
}
export type VcovRequest = VcovRequests[VcovType];

/**
 * Scores as explicit columns s_j = w e z_j, or implicitly as design columns, residuals and weights
 * (the estimator's path: no n x k score matrix is materialized).
 */
export type Scores = Float64Array[] | { z: Float64Array[]; e: Float64Array; w: Float64Array | null };

function scoreDims(scores: Scores): number {
  return Array.isArray(scores) ? scores.length : scores.z.length;
}

/** Score columns s_j[i] = w_i e_i z_j[i]. */
export function scoreColumns(z: Float64Array[], e: Float64Array, w: Float64Array | null): Float64Array[] {
  return z.map((col) => {
    const s = new Float64Array(e.length);
    if (w) for (let i = 0; i < e.length; i++) s[i] = w[i] * e[i] * col[i];
    else for (let i = 0; i < e.length; i++) s[i] = e[i] * col[i];
    return s;
  });
}

/** sum_i s_i s_i' */
export function meatHC(scores: Scores): Float64Array {
  const k = scoreDims(scores);
  const m = new Float64Array(k * k);
  if (Array.isArray(scores)) {
    for (let a = 0; a < k; a++)
      for (let b = a; b < k; b++) {
        const x = scores[a];
        const y = scores[b];
        let s = 0;
        for (let i = 0; i < x.length; i++) s += x[i] * y[i];
        m[a * k + b] = m[b * k + a] = s;
      }
    return m;
  }
  const { z, e, w } = scores;
  const v = new Float64Array(k);
  for (let i = 0; i < e.length; i++) {
    const f = w ? w[i] * e[i] : e[i];
    for (let a = 0; a < k; a++) v[a] = f * z[a][i];
    for (let a = 0; a < k; a++) {
      const va = v[a];
      for (let b = a; b < k; b++) m[a * k + b] += va * v[b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) m[a * k + b] = m[b * k + a];
  return m;
}

/** sum_g s_g s_g' from per-cluster score sums (G x k, row-major). */
export function meatFromSums(sums: Float64Array, G: number, k: number): Float64Array {
  const m = new Float64Array(k * k);
  // pair by pair over the clusters with the sum in a register (the same additions in the same order as
  // a pass over the clusters updating every pair in memory, at a third of the cost)
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) m[a * k + b] = pairSum(sums, G, k, a, b);
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) m[a * k + b] = m[b * k + a];
  return m;
}

/** sum over g of sums[g k + a] sums[g k + b]. */
function pairSum(sums: Float64Array, G: number, k: number, a: number, b: number): number {
  let s = 0;
  for (let o = 0; o < G * k; o += k) s += sums[o + a] * sums[o + b];
  return s;
}

/** sum_g (sum_{i in g} s_i)(sum_{i in g} s_i)' for cluster codes 0..G-1. */
export function meatCluster(scores: Scores, codes: Int32Array, G: number): Float64Array {
  return meatFromSums(scoreSums(scores, codes, G), G, scoreDims(scores));
}

/** Per-group score sums sum_{i in g} s_i (G x k, row-major) for codes 0..G-1. */
export function scoreSums(scores: Scores, codes: Int32Array, G: number): Float64Array {
  const k = scoreDims(scores);
  const sums = new Float64Array(G * k);
  if (Array.isArray(scores)) {
    for (let j = 0; j < k; j++) {
      const s = scores[j];
      for (let i = 0; i < s.length; i++) sums[codes[i] * k + j] += s[i];
    }
  } else {
    // per column, accumulating while the cluster code repeats (data sorted by cluster repeat it)
    const { z, e, w } = scores;
    const n = e.length;
    let f = e;
    if (w) {
      f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = w[i] * e[i];
    }
    // in row blocks that stay in cache across the columns, so that e and the codes stream from memory once
    const CHUNK = 4096;
    for (let lo = 0; lo < n; lo += CHUNK) clusterScores(z, false, f, codes, sums, lo, Math.min(n, lo + CHUNK));
  }
  return sums;
}

export interface ClusterTerm {
  codes: Int32Array;
  G: number;
  sign: 1 | -1;
}

/** The CGM inclusion-exclusion terms: every non-empty subset of the cluster variables, as one intersected factor. */
export function clusterTerms(clusters: SampleFactor[]): ClusterTerm[] {
  const Q = clusters.length;
  const out: ClusterTerm[] = [];
  for (let mask = 1; mask < 1 << Q; mask++) {
    let codes: Int32Array | null = null;
    let bits = 0;
    let single = -1;
    for (let q = 0; q < Q; q++) {
      if (!(mask & (1 << q))) continue;
      bits++;
      single = q;
      codes = codes ? interactCodes(codes, clusters[q].codes) : clusters[q].codes;
    }
    const G = bits === 1 ? clusters[single].nlevels : countLevels(codes!);
    out.push({ codes: codes!, G, sign: bits % 2 === 1 ? 1 : -1 });
  }
  return out;
}

/** Multi-way meat: sum over non-empty subsets S of the cluster variables of (-1)^(|S|+1) meat(intersection of S). */
export function meatMultiway(scores: Scores, clusters: SampleFactor[] | ClusterTerm[]): Float64Array {
  const terms = clusters.length && 'sign' in clusters[0] ? (clusters as ClusterTerm[]) : clusterTerms(clusters as SampleFactor[]);
  const k = scoreDims(scores);
  const total = new Float64Array(k * k);
  for (const t of terms) {
    const m = meatCluster(scores, t.codes, t.G);
    for (let i = 0; i < total.length; i++) total[i] += t.sign * m[i];
  }
  return total;
}

/** B M B for symmetric B. */
export function sandwich(bread: Float64Array, meat: Float64Array, k: number): Float64Array {
  const v = matMul(matMul(bread, meat, k, k, k), bread, k, k, k);
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) {
      const m = 0.5 * (v[i * k + j] + v[j * k + i]);
      v[i * k + j] = v[j * k + i] = m;
    }
  return v;
}

/**
 * reghdfe's rule (fix_psd.mata, docs/conventions.md): when the smallest eigenvalue of V is negative,
 * every negative eigenvalue is set to zero and V rebuilt as U diag(max(lambda, 0)) U'; otherwise V is
 * left as it is.
 */
export function fixPsd(V: Float64Array, k: number): { V: Float64Array; fixed: boolean } {
  if (k === 0) return { V, fixed: false };
  const { values, vectors } = symEigen(V, k);
  if (!values.some((lam) => lam < 0)) return { V, fixed: false };
  const out = new Float64Array(k * k);
  for (let e = 0; e < k; e++) {
    const lam = values[e];
    if (lam <= 0) continue;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] += lam * vectors[i * k + e] * vectors[j * k + e];
  }
  return { V: out, fixed: true };
}

/** The small-sample side of a variance type: the factor on the sandwich and the t degrees of freedom. */
export interface VcovDof {
  /** reported V divided by the uncorrected sandwich (or by SSR/n (X'WX)^-1 for iid) */
  scale: number;
  dfT: number;
  nClusters: number[];
}

/** One variance type, described. */
export interface VcovKind<R extends VcovRequest> {
  /** Σ s s' over the type's groups of scores; null: homoskedastic, V = SSR/(n-K) (X'WX)^-1 */
  meat: ((req: R, scores: Scores) => Float64Array) | null;
  /** n observations, K parameters of the small-sample factor */
  dof(req: R, n: number, K: number): VcovDof;
  /** the meat can be indefinite (inclusion-exclusion): apply `fixPsd` */
  fixPsd(req: R): boolean;
}

const unclusteredDof = (_req: VcovRequest, n: number, K: number): VcovDof => ({ scale: n / (n - K), dfT: n - K, nClusters: [] });

/** Every variance type, one entry each. */
export const VCOV_KINDS: { [T in VcovType]: VcovKind<VcovRequests[T]> } = {
  iid: { meat: null, dof: unclusteredDof, fixPsd: () => false },
  robust: { meat: (_req, scores) => meatHC(scores), dof: unclusteredDof, fixPsd: () => false },
  cluster: {
    meat: (req, scores) =>
      req.clusters.length === 1 ? meatCluster(scores, req.clusters[0].codes, req.clusters[0].nlevels) : meatMultiway(scores, req.terms ?? req.clusters),
    // CR1: (n-1)/(n-K) G/(G-1) with the smallest G, t with G-1 df
    dof: (req, n, K) => {
      const nClusters = req.clusters.map((c) => c.nlevels);
      const G = Math.min(...nClusters);
      return { scale: ((n - 1) / (n - K)) * (G / (G - 1)), dfT: G - 1, nClusters };
    },
    fixPsd: (req) => req.clusters.length > 1,
  },
  dkraay: {
    meat: (req, scores) => driscollKraayMeat(scoreSums(scores, req.periods.codes, req.periods.nlevels), req.periods.nlevels, scoreDims(scores), req.lags),
    // fixest: T/(T-1) (its cluster adjustment with the periods as clusters) x (n-1)/(n-K); t with T-1 df
    dof: (req, n, K) => {
      const T = req.periods.nlevels;
      return { scale: (T / (T - 1)) * ((n - 1) / (n - K)), dfT: T - 1, nClusters: [] };
    },
    fixPsd: () => false,
  },
};

/** The description of a type, typed for its request. */
function kindOf<T extends VcovType>(type: T): VcovKind<VcovRequests[T]> {
  return VCOV_KINDS[type];
}

/** The request for a variance type over the estimation sample's cluster factors (Driscoll-Kraay: its period factor and lags). */
export function vcovRequest(type: VcovType, clusters: SampleFactor[], dk?: { periods: SampleFactor; lags: number }): VcovRequest {
  if (type === 'cluster') return { type, clusters };
  if (type === 'dkraay') {
    if (!dk) throw new EstimationError('Driscoll-Kraay standard errors are not available for this estimator');
    return { type, periods: dk.periods, lags: dk.lags };
  }
  return { type };
}

/** The type's meat without small-sample factor (the rank test's covariance of its scores). */
export function vcovMeat(req: VcovRequest, scores: Scores): Float64Array {
  const meat = kindOf(req.type).meat;
  return meat ? meat(req, scores) : meatHC(scores);
}

export interface VcovResult extends VcovDof {
  V: Float64Array; // k x k row-major
  psdFixed: boolean; // negative eigenvalues were zeroed (multi-way clustering)
}

/**
 * The model's VCOV.
 * @param bread (Z'WZ)^-1, k x k
 * @param scores w e z columns (unused for iid, and when `meatIn` is given)
 * @param ssr weighted sum of squared residuals
 * @param n observations; K parameters for the small-sample factor (see `dofK` in model)
 * @param meatIn the type's meat when the estimator already has it (OLS: one-way cluster sums from its residual pass)
 */
export function computeVcov(req: VcovRequest, bread: Float64Array, k: number, scores: Scores | null, ssr: number, n: number, K: number, meatIn?: Float64Array): VcovResult {
  const kind = kindOf(req.type);
  const dof = kind.dof(req, n, K);
  if (!kind.meat) {
    const s2 = ssr / (n - K);
    return { ...dof, V: bread.map((b) => b * s2), psdFixed: false };
  }
  let meat = meatIn;
  if (!meat) {
    if (!scores) throw new RangeError(`computeVcov: scores required for a ${req.type} VCOV`);
    meat = kind.meat(req, scores);
  }
  let V: Float64Array = sandwich(bread, meat, k).map((v) => v * dof.scale);
  let psdFixed = false;
  if (kind.fixPsd(req)) ({ V, fixed: psdFixed } = fixPsd(V, k));
  return { ...dof, V, psdFixed };
}

/**
 * V estimated on [X~, 1] (demeaned regressors and a constant) in [X, 1] coordinates, where
 * _cons = ybar - b'xbar: T V T' with T = [[I, 0], [-xbar', 1]].
 */
export function vcovWithRawConstant(V: Float64Array, kz: number, xbar: ArrayLike<number>): Float64Array {
  const k = kz - 1;
  const T = new Float64Array(kz * kz);
  for (let a = 0; a < k; a++) T[a * kz + a] = 1;
  for (let a = 0; a < k; a++) T[k * kz + a] = -xbar[a];
  T[kz * kz - 1] = 1;
  const TV = new Float64Array(kz * kz);
  for (let i = 0; i < kz; i++) for (let j = 0; j < kz; j++) { let s = 0; for (let t = 0; t < kz; t++) s += T[i * kz + t] * V[t * kz + j]; TV[i * kz + j] = s; }
  const out = new Float64Array(kz * kz);
  for (let i = 0; i < kz; i++) for (let j = 0; j < kz; j++) { let s = 0; for (let t = 0; t < kz; t++) s += TV[i * kz + t] * T[j * kz + t]; out[i * kz + j] = s; }
  return out;
}
