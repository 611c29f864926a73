// Fixed-effect coefficients from the normal equations Z0'Z0 g = r, where Z0 holds the one-hot
// dummies of every factor on a set of rows (the imputation estimator's untreated rows). The
// imputation needs the coefficients themselves (to predict Y(0) on other rows) and the same
// system with other right-hand sides (its variance weights), which demeaning does not give.
// Z0'Z0 is singular (each extra factor adds a redundant level), but Z g is the same for every
// solution when r lies in its range; conjugate gradients from zero with a Jacobi preconditioner stay
// in that range and converge to one of them.
import { EstimationError } from '../types';

export interface FeLayout {
  /** per factor, the codes on the rows of the dataset (-1 = missing) */
  codes: Int32Array[];
  /** per factor, its offset in the stacked coefficient vector */
  offsets: number[];
  size: number; // total levels
}

export function feLayout(codes: Int32Array[]): FeLayout {
  const offsets: number[] = [];
  let size = 0;
  for (const c of codes) {
    offsets.push(size);
    let m = -1;
    for (let i = 0; i < c.length; i++) if (c[i] > m) m = c[i];
    size += m + 1;
  }
  return { codes, offsets, size };
}

/** (Z g)[row] for each of the rows. */
export function feApply(L: FeLayout, g: Float64Array, rows: Int32Array, out = new Float64Array(rows.length)): Float64Array {
  out.fill(0);
  for (let q = 0; q < L.codes.length; q++) {
    const c = L.codes[q];
    const o = L.offsets[q];
    for (let j = 0; j < rows.length; j++) out[j] += g[o + c[rows[j]]];
  }
  return out;
}

/** Z' v (v indexed like rows). */
export function feTranspose(L: FeLayout, v: ArrayLike<number>, rows: Int32Array, out = new Float64Array(L.size)): Float64Array {
  out.fill(0);
  for (let q = 0; q < L.codes.length; q++) {
    const c = L.codes[q];
    const o = L.offsets[q];
    for (let j = 0; j < rows.length; j++) out[o + c[rows[j]]] += v[j];
  }
  return out;
}

/** Level counts on the rows (the diagonal of Z'Z). */
export function feCounts(L: FeLayout, rows: Int32Array): Float64Array {
  const ones = new Float64Array(rows.length).fill(1);
  return feTranspose(L, ones, rows);
}

/**
 * Solves Z0'Z0 g = r (rows0 define Z0) by Jacobi-preconditioned conjugate gradients. Levels absent
 * from rows0 stay at zero (r must be zero there). In floating point the residual stalls near 1e-14
 * of |r| on large systems: the iterations stop at `tol`, or when no new smallest residual has come
 * for a while, and the best iterate is returned if its true residual is small; otherwise an error.
 */
export function feSolve(L: FeLayout, rows0: Int32Array, r: Float64Array, diag = feCounts(L, rows0), tol = 1e-13, maxIter = 20000): Float64Array {
  const p = L.size;
  const g = new Float64Array(p);
  const res = Float64Array.from(r);
  for (let a = 0; a < p; a++) if (diag[a] === 0) res[a] = 0;
  const rnorm0 = Math.sqrt(res.reduce((s, v) => s + v * v, 0));
  if (rnorm0 === 0) return g;
  const best = new Float64Array(p);
  let bestNorm = Infinity;
  let sinceBest = 0;
  const z = new Float64Array(p);
  const pre = (src: Float64Array, dst: Float64Array): void => {
    for (let a = 0; a < p; a++) dst[a] = diag[a] > 0 ? src[a] / diag[a] : 0;
  };
  pre(res, z);
  const dir = Float64Array.from(z);
  let rz = 0;
  for (let a = 0; a < p; a++) rz += res[a] * z[a];
  const zRows = new Float64Array(rows0.length);
  const Md = new Float64Array(p);
  for (let it = 0; it < maxIter; it++) {
    feApply(L, dir, rows0, zRows);
    feTranspose(L, zRows, rows0, Md);
    let dMd = 0;
    for (let a = 0; a < p; a++) dMd += dir[a] * Md[a];
    if (!(dMd > 0)) break;
    const alpha = rz / dMd;
    let rn = 0;
    for (let a = 0; a < p; a++) {
      g[a] += alpha * dir[a];
      res[a] -= alpha * Md[a];
      rn += res[a] * res[a];
    }
    rn = Math.sqrt(rn);
    if (rn < bestNorm) {
      bestNorm = rn;
      best.set(g);
      sinceBest = 0;
    } else if (++sinceBest > 50) break;
    if (rn <= tol * rnorm0) break;
    pre(res, z);
    let rzNew = 0;
    for (let a = 0; a < p; a++) rzNew += res[a] * z[a];
    const beta = rzNew / rz;
    rz = rzNew;
    for (let a = 0; a < p; a++) dir[a] = z[a] + beta * dir[a];
  }
  // the recursively updated residual can drift from the true one: judge the best iterate afresh
  const check = feTranspose(L, feApply(L, best, rows0), rows0);
  let rn = 0;
  for (let a = 0; a < p; a++) if (diag[a] > 0) rn += (check[a] - r[a]) ** 2;
  if (Math.sqrt(rn) <= 1e-10 * rnorm0) return best;
  throw new EstimationError('the fixed effects of the untreated observations could not be solved for (the conjugate-gradient iterations did not converge)');
}

/**
 * Connected components of the levels linked by rows0 (levels sharing a row are joined). A sum of
 * FE coefficients is identified from rows0 only if its levels lie in one component (for two
 * factors that is also sufficient).
 */
export function feComponents(L: FeLayout, rows0: Int32Array): Int32Array {
  const parent = new Int32Array(L.size);
  for (let a = 0; a < L.size; a++) parent[a] = a;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const Q = L.codes.length;
  for (let j = 0; j < rows0.length; j++) {
    const i = rows0[j];
    const r0 = find(L.offsets[0] + L.codes[0][i]);
    for (let q = 1; q < Q; q++) {
      const rq = find(L.offsets[q] + L.codes[q][i]);
      if (rq !== r0) parent[rq] = r0;
    }
  }
  const comp = new Int32Array(L.size);
  for (let a = 0; a < L.size; a++) comp[a] = find(a);
  return comp;
}
