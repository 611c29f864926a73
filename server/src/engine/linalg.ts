// The engine's linear algebra, in two layouts: data columns and small k x k matrices as row-major
// Float64Arrays (the estimators' kernels: Cholesky, cross products, the Jacobi eigen-decomposition),
// and, below, `Mat` rows for the IV diagnostics and the study estimators (Kronecker products, SVD
// pieces, general inverses of matrices with tens of rows), built on the same kernels.

/** In-place Cholesky A = L L' (lower triangle of `a` overwritten by L). Returns false if not positive definite. */
export function cholesky(a: Float64Array, k: number): boolean {
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let m = 0; m < j; m++) d -= a[j * k + m] * a[j * k + m];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= a[i * k + m] * a[j * k + m];
      a[i * k + j] = s / ljj;
    }
    for (let i = 0; i < j; i++) a[i * k + j] = 0;
  }
  return true;
}

/** Solves L L' x = b given the Cholesky factor (lower triangle). Returns a new array. */
export function cholSolve(l: Float64Array, k: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < k; i++) {
    let s = x[i];
    for (let m = 0; m < i; m++) s -= l[i * k + m] * x[m];
    x[i] = s / l[i * k + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let m = i + 1; m < k; m++) s -= l[m * k + i] * x[m];
    x[i] = s / l[i * k + i];
  }
  return x;
}

/** (L L')^-1 from the Cholesky factor. */
export function cholInverse(l: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  const e = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    e.fill(0);
    e[j] = 1;
    const c = cholSolve(l, k, e);
    for (let i = 0; i < k; i++) inv[i * k + j] = c[i];
  }
  // symmetrize rounding
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) {
      const m = 0.5 * (inv[i * k + j] + inv[j * k + i]);
      inv[i * k + j] = inv[j * k + i] = m;
    }
  return inv;
}

/** Weighted dot product with four accumulators (breaks the add-latency chain). */
export function wdot(a: Float64Array, b: Float64Array, w: Float64Array | null, lo = 0, hi = a.length): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = lo;
  if (w) {
    for (; i + 3 < hi; i += 4) {
      s0 += w[i] * a[i] * b[i];
      s1 += w[i + 1] * a[i + 1] * b[i + 1];
      s2 += w[i + 2] * a[i + 2] * b[i + 2];
      s3 += w[i + 3] * a[i + 3] * b[i + 3];
    }
    for (; i < hi; i++) s0 += w[i] * a[i] * b[i];
  } else {
    for (; i + 3 < hi; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < hi; i++) s0 += a[i] * b[i];
  }
  return s0 + s1 + (s2 + s3);
}

/** C = A B (A: r x m, B: m x c). */
export function matMul(a: Float64Array, b: Float64Array, r: number, m: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++)
    for (let t = 0; t < m; t++) {
      const v = a[i * m + t];
      if (v === 0) continue;
      for (let j = 0; j < c; j++) out[i * c + j] += v * b[t * c + j];
    }
  return out;
}

/** Symmetric eigen-decomposition by cyclic Jacobi (small k). Returns eigenvalues and column eigenvectors (row-major). */
export function symEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < k; i++) {
      diag += m[i * k + i] * m[i * k + i];
      for (let j = i + 1; j < k; j++) off += m[i * k + j] * m[i * k + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < k; p++)
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq === 0) continue;
        const theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
  return { values, vectors: v };
}

/**
 * Cross products X'WY of column sets (row-major |X| x |Y|). Rows are taken in chunks that stay in
 * cache while every pair of columns is multiplied, so each column streams from memory once.
 */
export function crossProducts(xs: Float64Array[], ys: Float64Array[], w: Float64Array | null): Float64Array {
  const nx = xs.length;
  const ny = ys.length;
  const out = new Float64Array(nx * ny);
  if (nx === 0 || ny === 0) return out;
  const n = xs[0].length;
  const sym = xs === ys;
  for (let lo = 0; lo < n; lo += CROSS_CHUNK) addCrossProducts(xs, ys, w, lo, Math.min(n, lo + CROSS_CHUNK), sym, out);
  if (sym) symmetrizeUpper(out, nx);
  return out;
}

/** Rows per block of `crossProducts` (a block of every column stays in cache). */
export const CROSS_CHUNK = 4096;

/** out += X'WY over rows lo..hi-1; with `sym` (xs === ys) only the upper triangle is filled. */
export function addCrossProducts(xs: Float64Array[], ys: Float64Array[], w: Float64Array | null, lo: number, hi: number, sym: boolean, out: Float64Array): void {
  const nx = xs.length;
  const ny = ys.length;
  const acc = ACC;
  // 2 x 2 blocks of pairs: four products per pair of loads (the single-pair loop is load-bound)
  for (let a = 0; a < nx; a += 2) {
    for (let b = sym ? a : 0; b < ny; b += 2) {
      if (a + 1 < nx && b + 1 < ny) {
        block2x2(xs[a], xs[a + 1], ys[b], ys[b + 1], w, lo, hi, acc);
        out[a * ny + b] += acc[0];
        out[a * ny + b + 1] += acc[1];
        out[(a + 1) * ny + b] += acc[2];
        out[(a + 1) * ny + b + 1] += acc[3];
      } else {
        for (let i = a; i < Math.min(a + 2, nx); i++)
          for (let j = b; j < Math.min(b + 2, ny); j++) out[i * ny + j] += wdot(xs[i], ys[j], w, lo, hi);
      }
    }
  }
}
const ACC = new Float64Array(4);

/** Copies the upper triangle of a square k x k matrix onto the lower one. */
export function symmetrizeUpper(out: Float64Array, k: number): void {
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[a * k + b] = out[b * k + a];
}

/** acc = [x0'Wy0, x0'Wy1, x1'Wy0, x1'Wy1] over rows lo..hi-1, two rows per step (eight independent sums). */
function block2x2(x0: Float64Array, x1: Float64Array, y0: Float64Array, y1: Float64Array, w: Float64Array | null, lo: number, hi: number, acc: Float64Array): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  let i = lo;
  if (w) {
    for (; i + 1 < hi; i += 2) {
      const p = w[i] * x0[i], q = w[i] * x1[i], u = y0[i], v = y1[i];
      a0 += p * u; a1 += p * v; a2 += q * u; a3 += q * v;
      const p2 = w[i + 1] * x0[i + 1], q2 = w[i + 1] * x1[i + 1], u2 = y0[i + 1], v2 = y1[i + 1];
      b0 += p2 * u2; b1 += p2 * v2; b2 += q2 * u2; b3 += q2 * v2;
    }
    for (; i < hi; i++) {
      const p = w[i] * x0[i], q = w[i] * x1[i], u = y0[i], v = y1[i];
      a0 += p * u; a1 += p * v; a2 += q * u; a3 += q * v;
    }
  } else {
    for (; i + 1 < hi; i += 2) {
      const p = x0[i], q = x1[i], u = y0[i], v = y1[i];
      a0 += p * u; a1 += p * v; a2 += q * u; a3 += q * v;
      const p2 = x0[i + 1], q2 = x1[i + 1], u2 = y0[i + 1], v2 = y1[i + 1];
      b0 += p2 * u2; b1 += p2 * v2; b2 += q2 * u2; b3 += q2 * v2;
    }
    for (; i < hi; i++) {
      const p = x0[i], q = x1[i], u = y0[i], v = y1[i];
      a0 += p * u; a1 += p * v; a2 += q * u; a3 += q * v;
    }
  }
  acc[0] = a0 + b0;
  acc[1] = a1 + b1;
  acc[2] = a2 + b2;
  acc[3] = a3 + b3;
}

/** A row-major k x k Float64Array as rows (the JSON's vcov layout and the small dense helpers' `Mat`). */
export function toRows(a: Float64Array, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < k; i++) out.push(Array.from(a.subarray(i * k, (i + 1) * k)));
  return out;
}

/** Rows of equal length as one row-major Float64Array. */
export function fromRows(rows: number[][]): Float64Array {
  const c = rows.length ? rows[0].length : 0;
  const out = new Float64Array(rows.length * c);
  rows.forEach((r, i) => out.set(r, i * c));
  return out;
}

// ---- small dense matrices as rows ----

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

/** Upper-triangular R with R'R = A (A symmetric positive definite); null when A is not PD. */
export function cholUpper(A: Mat): Mat | null {
  const n = A.length;
  const a = fromRows(A);
  if (!cholesky(a, n)) return null;
  // the lower factor L, transposed
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j >= i ? a[j * n + i] : 0)));
}

/** Inverse of a symmetric positive-definite matrix through its Cholesky factor; null when not PD. */
export function invSPD(A: Mat): Mat | null {
  const n = A.length;
  const a = fromRows(A);
  if (!cholesky(a, n)) return null;
  return toRows(cholInverse(a, n), n);
}

/** Eigen-decomposition of a symmetric matrix (Jacobi): values in decreasing order, vectors as columns. */
export function symEigenSorted(A: Mat): { values: number[]; vectors: Mat } {
  const n = A.length;
  const { values, vectors } = symEigen(fromRows(A.map((row, i) => row.map((v, j) => (v + A[j][i]) / 2))), n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  return {
    values: order.map((i) => values[i]),
    vectors: Array.from({ length: n }, (_, r) => order.map((i) => vectors[r * n + i])),
  };
}

/** Symmetric square root of a positive semi-definite matrix (negative eigenvalues clipped at 0). */
export function sqrtSym(A: Mat): Mat {
  const { values, vectors } = symEigenSorted(A);
  const n = A.length;
  const S = zeros(n, n);
  for (let k = 0; k < n; k++) {
    const d = Math.sqrt(Math.max(values[k], 0));
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

/** s[g] += sum of (w) r over rows with code g (s must be zeroed by the caller). */
export function groupSums(r: Float64Array, c: Int32Array, w: Float64Array | null, s: Float64Array): void {
  const n = r.length;
  if (n === 0) return;
  let cur = c[0];
  let acc = 0;
  if (w) {
    for (let i = 0; i < n; i++) {
      const ci = c[i];
      if (ci !== cur) {
        s[cur] += acc;
        cur = ci;
        acc = 0;
      }
      acc += w[i] * r[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const ci = c[i];
      if (ci !== cur) {
        s[cur] += acc;
        cur = ci;
        acc = 0;
      }
      acc += r[i];
    }
  }
  s[cur] += acc;
}
