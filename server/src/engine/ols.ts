// Least squares on demeaned columns. Columns are scaled to unit norm before the Cholesky of X'WX, so
// regressors measured in 1e-6 and 1e9 units keep their precision, and one step of iterative refinement
// (re-solving for the residual's projection) recovers digits lost to squaring the condition number.
import { cholesky, cholSolve, cholInverse, crossProducts, wdot, CROSS_CHUNK } from './linalg';
import { wholeColumns, type ColumnBlocks } from './additiveColumns';
import { clusterScores } from './clusterScores';
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
 * @param src the demeaned columns (stored, or made block by block: additiveColumns.ts)
 * @param keep which of src's columns are the regressors (already free of collinear columns)
 * @param yIndex src's column holding the demeaned dependent variable
 * @param xtx X'WX of the kept columns
 * @param xty X'Wy of the kept columns
 */
export function solveOls(src: ColumnBlocks, keep: number[], yIndex: number, w: Float64Array | null, xtx: Float64Array, xty: Float64Array, cluster?: ClusterScores): OlsFit {
  const k = keep.length;
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) scale[j] = 1 / Math.sqrt(xtx[j * k + j]);
  const A = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) A[i * k + j] = xtx[i * k + j] * scale[i] * scale[j];
  if (!cholesky(A, k)) throw new SingularDesignError('the regressors are collinear');
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
  let e = residualPass(src, keep, yIndex, beta, w, (v) => (ssr = v), refine ? undefined : scoreReq);
  if (refine) {
    // one refinement step: beta += (X'WX)^-1 X'W e
    const xte = crossWithBlocks(src, keep, e, w);
    for (let j = 0; j < k; j++) rhs[j] = xte[j] * scale[j];
    const d = cholSolve(A, k, rhs);
    for (let j = 0; j < k; j++) beta[j] += d[j] * scale[j];
    e = residualPass(src, keep, yIndex, beta, w, (v) => (ssr = v), scoreReq);
  }
  const invS = cholInverse(A, k);
  const xtxInv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) xtxInv[i * k + j] = invS[i * k + j] * scale[i] * scale[j];
  return { beta, xtxInv, residuals: e, ssr, clusterSums: sums };
}

/** Rows per block of the residual pass (a block of every column stays in cache). */
const CHUNK = CROSS_CHUNK;

/** X'We for the kept columns of src, block by block (the blocks of `crossProducts`: the same sums). */
function crossWithBlocks(src: ColumnBlocks, keep: number[], e: Float64Array, w: Float64Array | null): Float64Array {
  const k = keep.length;
  const out = new Float64Array(k);
  const scratch = keep.map(() => new Float64Array(CHUNK));
  for (let lo = 0; lo < src.n; lo += CHUNK) {
    const hi = Math.min(src.n, lo + CHUNK);
    const eb = e.subarray(lo, hi);
    const wb = w ? w.subarray(lo, hi) : null;
    const xb = src.blocks(keep, lo, hi, scratch);
    for (let a = 0; a < k; a++) out[a] += wdot(xb[a], eb, wb, 0, hi - lo);
  }
  return out;
}

/**
 * e = y - X beta for whole columns (see residualPass); `onSSR` receives the (weighted) sum of squared
 * residuals from the same pass.
 */
export function residualsOf(
  xs: Float64Array[],
  y: Float64Array,
  beta: ArrayLike<number>,
  w: Float64Array | null = null,
  onSSR?: (ssr: number) => void,
  scores?: { codes: Int32Array; ones: boolean; sums: Float64Array },
): Float64Array {
  const k = xs.length;
  return residualPass(wholeColumns([...xs, y], y.length), Array.from({ length: k }, (_, j) => j), k, beta, w, onSSR, scores);
}

/**
 * e = y - X beta, in row blocks that stay in cache while every column is subtracted (each column streams
 * from memory once, or is made block by block), with the (weighted) sum of squared residuals and the
 * one-way cluster score sums of the same blocks.
 */
function residualPass(
  src: ColumnBlocks,
  keep: number[],
  yIndex: number,
  beta: ArrayLike<number>,
  w: Float64Array | null,
  onSSR?: (ssr: number) => void,
  scores?: { codes: Int32Array; ones: boolean; sums: Float64Array },
): Float64Array {
  const n = src.n;
  const e = new Float64Array(n);
  const k = keep.length;
  const scratch = Array.from({ length: k + 1 }, () => new Float64Array(Math.min(n, CHUNK)));
  const cols = [...keep, yIndex];
  let ssr = 0;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    const b = src.blocks(cols, lo, hi, scratch);
    ssr += residualBlock(b.slice(0, k), b[k], beta, e.subarray(lo, hi), w ? w.subarray(lo, hi) : null, scores, lo, hi);
  }
  if (onSSR) onSSR(ssr);
  return e;
}

/**
 * One block of residualPass (its own function, called per block: V8 optimizes it whole after the first
 * blocks, where one long loop in the caller would be compiled mid-way and thrown out at its end).
 * Arrays are the block's rows from 0; returns the block's (weighted) sum of squared residuals.
 */
function residualBlock(
  xs: Float64Array[],
  y: Float64Array,
  beta: ArrayLike<number>,
  eb: Float64Array,
  wb: Float64Array | null,
  scores: { codes: Int32Array; ones: boolean; sums: Float64Array } | undefined,
  lo: number,
  hi: number,
): number {
  const m = hi - lo;
  const k = xs.length;
  // e = ((y - (b1 x1 + b2 x2)) - (b3 x3 + b4 x4)) - b5 x5: two columns per loop, the first reading y,
  // the last adding up the squares (unweighted) in the same loop
  let ssr = 0;
  let src = y;
  let j = 0;
  for (; j + 1 < k; j += 2) {
    if (j + 2 === k && !wb) ssr = subtractPairSS(src, xs[j], xs[j + 1], beta[j], beta[j + 1], eb, m);
    else subtractPair(src, xs[j], xs[j + 1], beta[j], beta[j + 1], eb, m);
    src = eb;
  }
  if (j < k) {
    const x = xs[j];
    const b = beta[j];
    if (wb) for (let i = 0; i < m; i++) eb[i] = src[i] - b * x[i];
    else ssr = subtractOneSS(src, x, b, eb, m);
  } else if (k === 0) {
    for (let i = 0; i < m; i++) eb[i] = y[i];
    if (!wb) for (let i = 0; i < m; i++) ssr += eb[i] * eb[i];
  }
  if (wb) for (let i = 0; i < m; i++) ssr += wb[i] * eb[i] * eb[i];
  // one-way cluster scores of the block while e and the columns are in cache
  if (scores) {
    let f = eb;
    if (wb) {
      f = new Float64Array(m);
      for (let i = 0; i < m; i++) f[i] = wb[i] * eb[i];
    }
    clusterScores(xs, scores.ones, f, scores.codes.subarray(lo, hi), scores.sums, 0, m);
  }
  return ssr;
}

/** e = src - (b1 x1 + b2 x2) on m rows (src may be e). */
function subtractPair(src: Float64Array, x1: Float64Array, x2: Float64Array, b1: number, b2: number, e: Float64Array, m: number): void {
  for (let i = 0; i < m; i++) e[i] = src[i] - (b1 * x1[i] + b2 * x2[i]);
}

/** subtractPair, returning the sum of the squares of e. */
function subtractPairSS(src: Float64Array, x1: Float64Array, x2: Float64Array, b1: number, b2: number, e: Float64Array, m: number): number {
  let ss = 0;
  for (let i = 0; i < m; i++) {
    const v = src[i] - (b1 * x1[i] + b2 * x2[i]);
    e[i] = v;
    ss += v * v;
  }
  return ss;
}

/** e = src - b x on m rows, returning the sum of the squares of e. */
function subtractOneSS(src: Float64Array, x: Float64Array, b: number, e: Float64Array, m: number): number {
  let ss = 0;
  for (let i = 0; i < m; i++) {
    const v = src[i] - b * x[i];
    e[i] = v;
    ss += v * v;
  }
  return ss;
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
