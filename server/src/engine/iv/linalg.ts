// Small dense linear algebra for the IV diagnostics and the study estimators: the matrices here are
// K x K with K = regressors or instruments (tens at most), so plain row-major arrays are enough.
// Data columns stay Float64Array (one per variable) and meet this code only through cross products.

import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export type Mat = number[][];

export function zeros(r: number, c: number): Mat {
  return Array.from({ length: r }, () => new Array<number>(c).fill(0));
}

export function identity(n: number): Mat {
  const I = zeros(n, n);
  for (let i = 0; i < n; i++) I[i][i] = 1;
  return I;
}

export function transpose(A: Mat): Mat {
  const r = A.length;
  const c = r ? A[0].length : 0;
  const T = zeros(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j][i] = A[i][j];
  return T;
}

export function matmul(A: Mat, B: Mat): Mat {
  const r = A.length;
  const m = B.length;
  const c = m ? B[0].length : 0;
  const C = zeros(r, c);
  for (let i = 0; i < r; i++) {
    const Ai = A[i];
    const Ci = C[i];
    for (let k = 0; k < m; k++) {
      const a = Ai[k];
      if (a === 0) continue;
      const Bk = B[k];
      for (let j = 0; j < c; j++) Ci[j] += a * Bk[j];
    }
  }
  return C;
}

export function matvec(A: Mat, x: ArrayLike<number>): number[] {
  return A.map((row) => {
    let s = 0;
    for (let j = 0; j < row.length; j++) s += row[j] * x[j];
    return s;
  });
}

export function scale(A: Mat, s: number): Mat {
  return A.map((row) => row.map((v) => v * s));
}

export function add(A: Mat, B: Mat, sb = 1): Mat {
  return A.map((row, i) => row.map((v, j) => v + sb * B[i][j]));
}

/** Kronecker product A ⊗ B. */
export function kron(A: Mat, B: Mat): Mat {
  const ra = A.length, ca = A[0].length, rb = B.length, cb = B[0].length;
  const K = zeros(ra * rb, ca * cb);
  for (let i = 0; i < ra; i++)
    for (let j = 0; j < ca; j++)
      for (let k = 0; k < rb; k++) for (let l = 0; l < cb; l++) K[i * rb + k][j * cb + l] = A[i][j] * B[k][l];
  return K;
}

/** Column-major vec of a matrix (stacks the columns). */
export function vec(A: Mat): number[] {
  const out: number[] = [];
  const c = A[0].length;
  for (let j = 0; j < c; j++) for (let i = 0; i < A.length; i++) out.push(A[i][j]);
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** a' b for lists of data columns: the (i, j) entry is sum_r a_i[r] b_j[r]. */
export function crossCols(a: Float64Array[], b: Float64Array[] = a): Mat {
  const C = zeros(a.length, b.length);
  const same = a === b;
  for (let i = 0; i < a.length; i++)
    for (let j = same ? i : 0; j < b.length; j++) {
      const v = dot(a[i], b[j]);
      C[i][j] = v;
      if (same) C[j][i] = v;
    }
  return C;
}

export function crossColVec(a: Float64Array[], y: Float64Array): number[] {
  return a.map((c) => dot(c, y));
}

/** Upper-triangular R with R'R = A (A symmetric positive definite); null when A is not PD. */
export function cholUpper(A: Mat): Mat | null {
  const n = A.length;
  const R = zeros(n, n);
  for (let j = 0; j < n; j++) {
    let s = A[j][j];
    for (let k = 0; k < j; k++) s -= R[k][j] * R[k][j];
    if (!(s > 0) || !Number.isFinite(s)) return null;
    const d = Math.sqrt(s);
    R[j][j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = A[j][i];
      for (let k = 0; k < j; k++) t -= R[k][j] * R[k][i];
      R[j][i] = t / d;
    }
  }
  return R;
}

/** Inverse of a general square matrix (Gauss-Jordan, partial pivoting); null when singular. */
export function inverse(A: Mat): Mat | null {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...identity(n)[i]]);
  let maxAbs = 0;
  for (const row of A) for (const v of row) maxAbs = Math.max(maxAbs, Math.abs(v));
  const tiny = maxAbs * 1e-14 * n;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (!(Math.abs(M[p][c]) > tiny)) return null;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c];
      if (f === 0) continue;
      for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j];
    }
  }
  return M.map((row) => row.slice(n));
}

/** Inverse of a symmetric positive-definite matrix through its Cholesky factor; null when not PD. */
export function invSPD(A: Mat): Mat | null {
  const R = cholUpper(A);
  if (!R) return null;
  const n = A.length;
  // R^{-1} (upper triangular), then A^{-1} = R^{-1} R^{-T}
  const Ri = zeros(n, n);
  for (let i = n - 1; i >= 0; i--) {
    Ri[i][i] = 1 / R[i][i];
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += R[i][k] * Ri[k][j];
      Ri[i][j] = -s / R[i][i];
    }
  }
  const Inv = zeros(n, n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = j; k < n; k++) s += Ri[i][k] * Ri[j][k];
      Inv[i][j] = s;
      Inv[j][i] = s;
    }
  return Inv;
}

/** Solves A x = b for square A; null when singular. */
export function solve(A: Mat, b: number[]): number[] | null {
  const inv = inverse(A);
  return inv ? matvec(inv, b) : null;
}

/** Eigen-decomposition of a symmetric matrix: values in decreasing order, vectors as columns. */
export function symEigen(A: Mat): { values: number[]; vectors: Mat } {
  const n = A.length;
  const sym = A.map((row, i) => row.map((v, j) => (v + A[j][i]) / 2));
  const e = new EigenvalueDecomposition(new Matrix(sym), { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const V = e.eigenvectorMatrix.to2DArray();
  const order = vals.map((_, i) => i).sort((a, b) => vals[b] - vals[a]);
  return {
    values: order.map((i) => vals[i]),
    vectors: Array.from({ length: n }, (_, r) => order.map((i) => V[r][i])),
  };
}

/** Symmetric square root of a positive semi-definite matrix (negative eigenvalues clipped at 0). */
export function sqrtSym(A: Mat): Mat {
  const { values, vectors } = symEigen(A);
  const n = A.length;
  const S = zeros(n, n);
  for (let k = 0; k < n; k++) {
    const d = Math.sqrt(Math.max(values[k], 0));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i][j] += vectors[i][k] * d * vectors[j][k];
  }
  return S;
}

/** Zeroes negative eigenvalues (multiway-clustered covariance that is not PSD, as reghdfe does). */
export function psdFix(A: Mat): Mat {
  const { values, vectors } = symEigen(A);
  if (values.every((v) => v >= 0)) return A;
  const n = A.length;
  const S = zeros(n, n);
  for (let k = 0; k < n; k++) {
    const d = Math.max(values[k], 0);
    if (d === 0) continue;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i][j] += vectors[i][k] * d * vectors[j][k];
  }
  return S;
}

/** Submatrix of rows `ri` and columns `ci`. */
export function sub(A: Mat, ri: number[], ci: number[]): Mat {
  return ri.map((i) => ci.map((j) => A[i][j]));
}

/** Quadratic form b' A^{-1} b for symmetric A; null when A is singular. */
export function quadInv(A: Mat, b: number[]): number | null {
  const inv = invSPD(A) ?? inverse(A);
  if (!inv) return null;
  return dot(b, matvec(inv, b));
}
