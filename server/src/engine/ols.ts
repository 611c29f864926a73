// Least squares on demeaned columns. Columns are scaled to unit norm before the Cholesky of X'WX, so
// regressors measured in 1e-6 and 1e9 units keep their precision, and one step of iterative refinement
// (re-solving for the residual's projection) recovers digits lost to squaring the condition number.
import { cholesky, cholSolve, cholInverse, crossProducts } from './linalg';
import { EstimationError } from './types';

export interface OlsFit {
  beta: Float64Array;
  /** (X'WX)^-1, k x k row-major */
  xtxInv: Float64Array;
  residuals: Float64Array;
  ssr: number; // weighted
  /** with a `ClusterScores` request: per cluster g and column j, sum over g's rows of w e z_j (G x kz, row-major) */
  clusterSums?: Float64Array;
}

/** Ask `solveOls` for the one-way cluster score sums in its residual pass (z = the regressors, then a column of ones if `ones`). */
export interface ClusterScores {
  codes: Int32Array;
  G: number;
  ones: boolean;
}

/** The design matrix is singular after the collinearity checks (a model problem, as every EstimationError). */
export class SingularDesignError extends EstimationError {}

/**
 * @param xs demeaned regressors (already free of collinear columns)
 * @param y demeaned dependent variable
 * @param xtx optional precomputed X'WX
 * @param xtyIn optional precomputed X'Wy
 */
export function solveOls(xs: Float64Array[], y: Float64Array, w: Float64Array | null, xtx?: Float64Array, xtyIn?: Float64Array, cluster?: ClusterScores): OlsFit {
  const k = xs.length;
  const XtX = xtx ?? crossProducts(xs, xs, w);
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) scale[j] = 1 / Math.sqrt(XtX[j * k + j]);
  const A = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) A[i * k + j] = XtX[i * k + j] * scale[i] * scale[j];
  if (!cholesky(A, k)) throw new SingularDesignError('the regressors are collinear');
  const xty = xtyIn ?? crossProducts(xs, [y], w);
  const rhs = new Float64Array(k);
  for (let j = 0; j < k; j++) rhs[j] = xty[j] * scale[j];
  const bs = cholSolve(A, k, rhs);
  const beta = new Float64Array(k);
  for (let j = 0; j < k; j++) beta[j] = bs[j] * scale[j];
  let ssr = 0;
  // the smallest pivot of the unit-diagonal factor bounds the conditioning: refine only when it is poor
  let minPivot = Infinity;
  for (let j = 0; j < k; j++) minPivot = Math.min(minPivot, A[j * k + j] * A[j * k + j]);
  const refine = k > 0 && minPivot < 1e-3;
  // the cluster score sums ride on the last residual pass
  const kz = k + (cluster?.ones ? 1 : 0);
  const sums = cluster ? new Float64Array(cluster.G * kz) : undefined;
  const scoreReq = cluster && sums ? { codes: cluster.codes, ones: cluster.ones, sums } : undefined;
  let e = residualsOf(xs, y, beta, w, (v) => (ssr = v), refine ? undefined : scoreReq);
  if (refine) {
    // one refinement step: beta += (X'WX)^-1 X'W e
    const xte = crossProducts(xs, [e], w);
    for (let j = 0; j < k; j++) rhs[j] = xte[j] * scale[j];
    const d = cholSolve(A, k, rhs);
    for (let j = 0; j < k; j++) beta[j] += d[j] * scale[j];
    e = residualsOf(xs, y, beta, w, (v) => (ssr = v), scoreReq);
  }
  const invS = cholInverse(A, k);
  const xtxInv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) xtxInv[i * k + j] = invS[i * k + j] * scale[i] * scale[j];
  return { beta, xtxInv, residuals: e, ssr, clusterSums: sums };
}

/**
 * e = y - X beta, in row blocks that stay in cache while every column is subtracted (each column streams
 * from memory once); `onSSR` receives the (weighted) sum of squared residuals from the same pass.
 */
export function residualsOf(
  xs: Float64Array[],
  y: Float64Array,
  beta: ArrayLike<number>,
  w: Float64Array | null = null,
  onSSR?: (ssr: number) => void,
  scores?: { codes: Int32Array; ones: boolean; sums: Float64Array },
): Float64Array {
  const n = y.length;
  const e = new Float64Array(n);
  const k = xs.length;
  const CHUNK = 4096;
  let ssr = 0;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let i = lo; i < hi; i++) e[i] = y[i];
    // two columns per pass over the block
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const x1 = xs[j];
      const x2 = xs[j + 1];
      const b1 = beta[j];
      const b2 = beta[j + 1];
      for (let i = lo; i < hi; i++) e[i] -= b1 * x1[i] + b2 * x2[i];
    }
    if (j < k) {
      const x = xs[j];
      const b = beta[j];
      for (let i = lo; i < hi; i++) e[i] -= b * x[i];
    }
    if (onSSR) {
      if (w) for (let i = lo; i < hi; i++) ssr += w[i] * e[i] * e[i];
      else for (let i = lo; i < hi; i++) ssr += e[i] * e[i];
    }
    // one-way cluster scores of the block while e and the columns are in cache
    if (scores) {
      const kz = k + (scores.ones ? 1 : 0);
      for (let j = 0; j < kz; j++) clusterScoreBlock(j < k ? xs[j] : null, e, w, scores.codes, scores.sums, kz, j, lo, hi);
    }
  }
  if (onSSR) onSSR(ssr);
  return e;
}

/** sums[g * kz + j] += sum of w e x over the block's rows in cluster g (x null: a column of ones). */
function clusterScoreBlock(x: Float64Array | null, e: Float64Array, w: Float64Array | null, codes: Int32Array, sums: Float64Array, kz: number, j: number, lo: number, hi: number): void {
  let cur = codes[lo];
  let acc = 0;
  if (x && !w) {
    // the common case, without the per-row tests
    for (let i = lo; i < hi; i++) {
      const ci = codes[i];
      if (ci !== cur) {
        sums[cur * kz + j] += acc;
        cur = ci;
        acc = 0;
      }
      acc += e[i] * x[i];
    }
  } else {
    for (let i = lo; i < hi; i++) {
      const ci = codes[i];
      if (ci !== cur) {
        sums[cur * kz + j] += acc;
        cur = ci;
        acc = 0;
      }
      const f = w ? w[i] * e[i] : e[i];
      acc += x ? f * x[i] : f;
    }
  }
  sums[cur * kz + j] += acc;
}

/**
 * Residual maker for a fixed set of columns: M x = x - X (X'WX)^-1 X'W x, with column scaling and one
 * refinement step. Built once, applied to many columns (the placebo's FWL step).
 */
export class Residualizer {
  private readonly k: number;
  private readonly scale: Float64Array;
  private readonly chol: Float64Array;

  constructor(
    private readonly xs: Float64Array[],
    private readonly w: Float64Array | null,
    xtx?: Float64Array,
  ) {
    const k = (this.k = xs.length);
    const XtX = xtx ?? crossProducts(xs, xs, w);
    this.scale = new Float64Array(k);
    for (let j = 0; j < k; j++) this.scale[j] = 1 / Math.sqrt(XtX[j * k + j]);
    this.chol = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) this.chol[i * k + j] = XtX[i * k + j] * this.scale[i] * this.scale[j];
    if (k > 0 && !cholesky(this.chol, k)) throw new SingularDesignError('the regressors are collinear');
    let minPivot = Infinity;
    for (let j = 0; j < k; j++) minPivot = Math.min(minPivot, this.chol[j * k + j] ** 2);
    this.refine = minPivot < 1e-3;
  }

  private readonly refine: boolean;

  /** Coefficients of the projection of y on the columns. */
  private coefs(y: Float64Array): Float64Array {
    const k = this.k;
    const xty = crossProducts(this.xs, [y], this.w);
    for (let j = 0; j < k; j++) xty[j] *= this.scale[j];
    const b = cholSolve(this.chol, k, xty);
    for (let j = 0; j < k; j++) b[j] *= this.scale[j];
    return b;
  }

  residualize(y: Float64Array): Float64Array {
    if (this.k === 0) return Float64Array.from(y);
    const e = residualsOf(this.xs, y, this.coefs(y));
    // a second pass (iterative refinement) only when the columns are close to collinear
    return this.refine ? residualsOf(this.xs, e, this.coefs(e)) : e;
  }
}
