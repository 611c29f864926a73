// Small dense linear algebra on row-major Float64Arrays (k x k with k = number of regressors).
import { wdot } from './demean';

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
  const CHUNK = 4096;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let a = 0; a < nx; a++) {
      const x = xs[a];
      for (let b = sym ? a : 0; b < ny; b++) {
        const y = ys[b];
        out[a * ny + b] += wdot(x, y, w, lo, hi);
      }
    }
  }
  if (sym) for (let a = 0; a < nx; a++) for (let b = 0; b < a; b++) out[a * ny + b] = out[b * ny + a];
  return out;
}
